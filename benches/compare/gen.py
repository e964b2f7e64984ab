#!/usr/bin/env python3
"""Deterministic benchmark data: RSS 2.0 and Atom feeds with realistic HTML bodies.

    gen.py OUT_DIR FEEDS ITEMS [--seed N] [--body long|short] [--marker WORD]

Writes OUT_DIR/f/NNNN.xml (even feeds RSS 2.0, odd feeds Atom 1.0) and OUT_DIR/urls.txt
(relative paths, one a line). The same arguments always give the same bytes. Bodies mix
Italian, French and Spanish text with accents, emoji and flags, paragraphs, links, lists,
entities (named and numeric) and the odd <script>/<style>, as real feeds carry them.
`--marker` puts a unique word in the title of the newest item of feed 0, so a harness can
tell when the article list is on the screen.
"""

import argparse
import os
import random
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

WORDS = {
    "it": (
        "cooperativa lavoratori società mutualità assemblea soci bilancio sociale "
        "città comunità sviluppo economia più perché già così però attività qualità "
        "progetto territorio giovani donne formazione occupazione welfare agricoltura "
        "sostenibilità innovazione consorzio rete solidarietà impresa Legacoop Confcooperative "
        "Emilia-Romagna Bologna Milano Napoli Torino è un’opportunità dell’anno"
    ).split(),
    "fr": (
        "coopérative travailleurs économie sociale solidaire société assemblée générale "
        "développement français élève été où à côté réseau fédération entreprise "
        "démocratie participative partage écologie territoire régional Île-de-France"
    ).split(),
    "es": (
        "cooperativa trabajo asociado economía social España señal año niño mañana "
        "también además organización federación COCETA empleo jóvenes formación "
        "sostenibilidad compañía participación acción Cataluña Andalucía"
    ).split(),
}
EMOJI = ["🤝", "🌍", "🇮🇹", "🇫🇷", "🇪🇸", "🇪🇺", "📢", "✅", "🚀", "💡", "🌱", "👩‍🌾", "🏳️‍🌈", "😀"]
HOSTS = ["www.legacoop.coop", "www.cicopa.coop", "www.cecop.coop", "www.coceta.coop", "ica.coop"]
EPOCH = datetime(2025, 6, 1, 12, 0, 0, tzinfo=timezone.utc)


def sentence(rng, lang, n):
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
    return " ".join(words) + rng.choice([".", ".", ".", "!", "?"])


def paragraph(rng, lang, sentences):
    parts = []
    for _ in range(sentences):
        s = escape(sentence(rng, lang, rng.randint(8, 16)))
        r = rng.random()
        if r < 0.25:
            host = rng.choice(HOSTS)
            s = f'{s} <a href="https://{host}/news/{rng.randrange(10**6)}?a=1&amp;b=2">{escape(rng.choice(WORDS[lang]))}</a>'
        elif r < 0.4:
            s = f"<strong>{s}</strong>"
        elif r < 0.5:
            s = s.replace(" ", " &nbsp;", 1).replace(".", " &#8212; &eacute;.", 1)
        parts.append(s)
    return "<p>" + " ".join(parts) + "</p>"


def body(rng, lang, size):
    if size == "short":
        return paragraph(rng, lang, rng.randint(2, 3))
    blocks = [paragraph(rng, lang, rng.randint(2, 5)) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.5:
        items = "".join(f"<li>{escape(sentence(rng, lang, rng.randint(3, 7)))}</li>" for _ in range(rng.randint(2, 5)))
        blocks.insert(1, f"<ul>{items}</ul>")
    if rng.random() < 0.3:
        blocks.append(f'<figure><img src="/img/{rng.randrange(10**6)}.jpg" alt="foto"><figcaption>{escape(sentence(rng, lang, 5))}</figcaption></figure>')
    if rng.random() < 0.1:
        blocks.append("<script>var t = 1 < 2 && 'x';</script><style>p{margin:0}</style>")
    if rng.random() < 0.2:
        blocks.append(f"<blockquote>{escape(sentence(rng, lang, 10))}</blockquote>")
    return f'<div class="entry">{"".join(blocks)}</div>'


def items(rng, feed, count, size, marker):
    lang = ["it", "fr", "es"][feed % 3]
    host = HOSTS[feed % len(HOSTS)]
    for i in range(count):
        # Newest first, one item every ~3 hours per feed, feeds interleaved.
        when = EPOCH - timedelta(minutes=(i * 180 + feed * 7))
        title = sentence(rng, lang, rng.randint(5, 10)).rstrip(".!?")
        if marker and feed == 0 and i == 0:
            title = f"{marker} {title}"
        yield {
            "title": title,
            "link": f"https://{host}/news/{feed}/{i}-{rng.randrange(10**9):x}",
            "guid": f"https://{host}/?p={feed * 100000 + i}",
            "when": when,
            "body": body(rng, lang, size),
            "author": rng.choice(["Redazione", "Ufficio stampa", "Équipe com", "Comunicación"]),
        }


def rss(feed, entries):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
           f"<title>Feed {feed} — notizie cooperative</title>\n<link>https://example.coop/{feed}/</link>\n",
           "<description>Benchmark feed</description>\n<language>it-IT</language>\n"]
    for e in entries:
        out.append(
            f"<item>\n<title>{escape(e['title'])}</title>\n<link>{e['link']}</link>\n"
            f"<guid isPermaLink=\"false\">{e['guid']}</guid>\n"
            f"<pubDate>{e['when'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>\n"
            f"<dc:creator>{escape(e['author'])}</dc:creator>\n"
            f"<description><![CDATA[{e['body']}]]></description>\n</item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def atom(feed, entries):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n',
           f"<title>Flux {feed} — actualités coopératives</title>\n<id>urn:bench:{feed}</id>\n",
           f'<link rel="alternate" href="https://example.coop/{feed}/"/>\n<updated>{EPOCH.isoformat()}</updated>\n']
    for e in entries:
        out.append(
            f"<entry>\n<title>{escape(e['title'])}</title>\n<link rel=\"alternate\" href=\"{e['link']}\"/>\n"
            f"<id>{e['guid']}</id>\n<updated>{e['when'].isoformat()}</updated>\n"
            f"<author><name>{escape(e['author'])}</name></author>\n"
            f"<content type=\"html\">{escape(e['body'])}</content>\n</entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("feeds", type=int)
    ap.add_argument("items", type=int)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--body", choices=["long", "short"], default="long")
    ap.add_argument("--marker", default="")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "f"), exist_ok=True)
    total = 0
    urls = []
    for feed in range(args.feeds):
        rng = random.Random(args.seed * 1_000_003 + feed)
        entries = list(items(rng, feed, args.items, args.body, args.marker))
        doc = (rss if feed % 2 == 0 else atom)(feed, entries)
        data = doc.encode("utf-8")
        total += len(data)
        name = f"f/{feed:04d}.xml"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        urls.append(name)
    with open(os.path.join(args.out, "urls.txt"), "w") as f:
        f.write("\n".join(urls) + "\n")
    print(f"{args.out}: {args.feeds} feeds x {args.items} items, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
