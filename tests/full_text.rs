//! `full_text` on Italian, French and Spanish article pages (`tests/fixtures/full_text/`):
//! the article's text is kept, the site's navigation, related links, sharing, comments,
//! cookie banner and footer are not, and the extractor does no worse than the one before.

use coopnews::sources::page::readable;
use url::Url;

struct Page {
    name: &'static str,
    html: &'static str,
    /// Phrases of the article a reader must find.
    kept: &'static [&'static str],
    /// Phrases of the page around the article that must not be in the body.
    dropped: &'static [&'static str],
}

const PAGES: [Page; 3] = [
    Page {
        name: "it-wordpress.html",
        html: include_str!("fixtures/full_text/it-wordpress.html"),
        kept: &[
            "l’unico negozio di alimentari aveva chiuso da due anni",
            "con quote da cinquanta euro",
            "Un presidio per chi resta",
            "consegna a domicilio per gli anziani soli",
            "il paese ha di nuovo un posto dove incontrarsi",
        ],
        dropped: &[
            "Chi siamo",
            "Servizi alle imprese",
            "Condividi",
            "Facebook",
            "Correlati",
            "Assemblea dei soci",
            "Bando per giovani",
            "Articolo precedente",
            "La mutualità spiegata",
            "comunità energetica",
            "Lascia un commento",
            "Articoli recenti",
            "socio sostenitore",
            "Informativa sulla privacy",
            "P.IVA",
            "WordPress",
            "utilizza i cookie",
        ],
    },
    Page {
        name: "fr-drupal.html",
        html: include_str!("fixtures/full_text/fr-drupal.html"),
        kept: &[
            "la fonderie de Saint-Aubry continuera de couler ses pièces de bronze",
            "complété par un prêt participatif",
            "Un savoir-faire qui reste au village",
            "nous n’allions pas laisser partir tout cela",
            "de consacrer une partie de ses réserves impartageables",
        ],
        dropped: &[
            "Aller au contenu",
            "Annuaire des coopératives",
            "Créer une Scop",
            "Rechercher",
            "Fil d'Ariane",
            "Dernières actualités",
            "Assemblée générale",
            "Formation des gérants",
            "Toutes les actualités",
            "flux RSS",
            "Mentions légales",
            "Nous contacter",
            "Propulsé par",
        ],
    },
    Page {
        name: "es-elementor.html",
        html: include_str!("fixtures/full_text/es-elementor.html"),
        kept: &[
            "mantuvieron su plantilla durante los últimos tres años",
            "Nueve de cada diez personas socias",
            "Relevo generacional",
            "jóvenes de la zona se incorporen como socios",
            "se pierde un servicio",
        ],
        dropped: &[
            "La Federación",
            "Asesoramiento",
            "Compartir",
            "LinkedIn",
            "Anterior",
            "Siguiente",
            "Noticias relacionadas",
            "Jornada de economía social",
            "Estudiantes de tres facultades",
            "Abiertas las ayudas",
            "Leer más",
            "Todos los derechos reservados",
            "Suscribirme",
            "Utilizamos cookies",
        ],
    },
];

/// What the body got wrong: article phrases missing, furniture phrases present.
fn mistakes(page: &Page, text: &str) -> Vec<String> {
    let missing = page.kept.iter().filter(|p| !text.contains(*p));
    let leaked = page.dropped.iter().filter(|p| text.contains(*p));
    missing
        .map(|p| format!("missing: {p}"))
        .chain(leaked.map(|p| format!("leaked: {p}")))
        .collect()
}

fn url(page: &Page) -> Url {
    Url::parse(&format!("https://coop.example/news/{}", page.name)).unwrap()
}

fn new_text(page: &Page) -> String {
    readable::article_body(
        page.html.as_bytes(),
        Some("text/html; charset=utf-8"),
        &url(page),
    )
    .map(|b| b.text)
    .unwrap_or_default()
}

/// The extractor `full_text` used before: the densest `article`/`main`, furniture dropped.
fn old_text(page: &Page) -> String {
    readable::previous_body(
        page.html.as_bytes(),
        Some("text/html; charset=utf-8"),
        &url(page),
    )
    .map(|b| b.text)
    .unwrap_or_default()
}

#[test]
fn the_article_is_kept_and_the_page_around_it_dropped() {
    for page in &PAGES {
        let text = new_text(page);
        assert_eq!(
            mistakes(page, &text),
            Vec::<String>::new(),
            "{}:\n{text}",
            page.name
        );
    }
}

#[test]
fn no_worse_than_the_previous_extractor() {
    for page in &PAGES {
        let old = mistakes(page, &old_text(page));
        let new = mistakes(page, &new_text(page));
        // Shown with `--nocapture`: what the previous extractor got wrong on each page.
        println!("{}: previous {old:?}, now {new:?}", page.name);
        let worse: Vec<_> = new.iter().filter(|m| !old.contains(m)).collect();
        assert!(worse.is_empty(), "{}: new mistakes {worse:?}", page.name);
        assert!(new.len() <= old.len(), "{}: {new:?} vs {old:?}", page.name);
    }
}
