//! The reader with organisations: the sidebar lists them with their unread counts, collapsed
//! and expanded (Enter or →), at 120×40 and 60×20; tags and languages are pickers; rows with
//! folded Bluesky posts carry 🦋 and the reader ends with "On Bluesky".

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use coopnews::app::orgs::PickerKey;
use coopnews::app::{Action, Effect, FeedInfo, Keymap, Page, Pane, State, SubEntry, update};
use coopnews::model::{ArticleRow, Engagement, StoredArticle};
use coopnews::store::{AlsoRow, FoldedUnread};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap()
}

fn feeds() -> Vec<FeedInfo> {
    let feed = |id, title: &str, tags: &[&str], unread| FeedInfo {
        id,
        title: title.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        unread,
        error: None,
    };
    vec![
        feed(1, "CECOP site", &["europe"], 4),
        feed(2, "CECOP 🦋", &["europe", "bluesky"], 2),
        feed(3, "Legacoop Notizie", &["italia"], 5),
        feed(4, "ICA", &[], 0),
    ]
}

fn state(width: u16, height: u16) -> State {
    let mut state = State::new(now(), FixedOffset::east_opt(0).unwrap(), Keymap::default());
    update(&mut state, Action::Resize { width, height });
    common::app::feeds_loaded(&mut state, feeds(), 1, Vec::new());
    update(
        &mut state,
        Action::OrgsLoaded(vec![
            (1, "CECOP".into()),
            (2, "CECOP".into()),
            (3, "Legacoop".into()),
            (4, "ICA".into()),
        ]),
    );
    let row = |id, feed_id, title: &str, hours| ArticleRow {
        id,
        feed_id,
        title: title.into(),
        published: now() - Duration::hours(hours),
        read: false,
        starred: false,
    };
    update(&mut state, Action::PostsMarked(vec![1]));
    let generation = state.list.generation;
    update(
        &mut state,
        Action::PageLoaded(Page {
            generation,
            replace: true,
            rows: vec![
                row(1, 1, "Worker cooperatives in Europe: the annual report", 2),
                row(2, 3, "Le cooperative sociali chiedono più fondi", 5),
            ],
            exhausted: true,
        }),
    );
    state
}

fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal.draw(|f| coopnews::ui::draw(f, state)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

fn sidebar(state: &mut State) -> Vec<SubEntry> {
    update(state, Action::PaneLeft);
    state.entries.clone()
}

#[test]
fn the_sidebar_lists_organisations_collapsed_and_expanded() {
    for (width, height) in [(120u16, 40u16), (60, 20)] {
        let mut s = state(width, height);
        let entries = sidebar(&mut s);
        assert_eq!(
            entries,
            vec![
                SubEntry::All,
                SubEntry::Unread,
                SubEntry::Starred,
                SubEntry::Org("CECOP".into()),
                SubEntry::Org("Legacoop".into()),
                SubEntry::Org("ICA".into()),
            ]
        );
        assert_eq!(s.entry_unread(&SubEntry::Org("CECOP".into())), 6);
        insta::assert_snapshot!(format!("orgs_collapsed_{width}x{height}"), screen(&s));

        // Enter on an organisation opens it; → too; Enter again closes it.
        update(&mut s, Action::Down);
        update(&mut s, Action::Down);
        update(&mut s, Action::Down);
        assert_eq!(*s.selected_entry(), SubEntry::Org("CECOP".into()));
        update(&mut s, Action::Open);
        assert_eq!(s.focus, Pane::Subscriptions);
        assert_eq!(s.entries.len(), 8);
        assert_eq!(s.entries[4], SubEntry::Feed { id: 1, tag: None });
        insta::assert_snapshot!(format!("orgs_expanded_{width}x{height}"), screen(&s));
        update(&mut s, Action::Open);
        assert_eq!(s.entries.len(), 6);
        update(&mut s, Action::PaneRight);
        assert_eq!(s.entries.len(), 8, "→ expands");
        update(&mut s, Action::PaneRight);
        assert_eq!(
            s.focus,
            Pane::List,
            "→ on an open organisation goes to the list"
        );
    }
}

#[test]
fn an_organisation_lists_its_subscriptions_and_pickers_filter() {
    let mut s = state(120, 40);
    sidebar(&mut s);
    update(&mut s, Action::Bottom);
    let effects = update(&mut s, Action::Top);
    assert!(!effects.is_empty());
    for _ in 0..3 {
        update(&mut s, Action::Down);
    }
    assert_eq!(s.query().feeds, Some(vec![1, 2]));

    // t: a tag narrows the list to its subscriptions.
    update(&mut s, Action::TagPicker);
    let picker = s.orgs.picker.clone().expect("the tag picker");
    let labels: Vec<&str> = picker.items.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        ["All tags", "europe  (2)", "bluesky  (1)", "italia  (1)"]
    );
    update(&mut s, Action::Picker(PickerKey::Down));
    update(&mut s, Action::Picker(PickerKey::Down));
    let effects = update(&mut s, Action::Picker(PickerKey::Choose));
    assert!(matches!(effects[0], Effect::LoadPage { .. }));
    assert_eq!(s.query().feeds, Some(vec![2]));

    // L: the languages come from the store, with counts; choosing one searches `lang:`.
    assert_eq!(
        update(&mut s, Action::LanguagePicker),
        vec![Effect::LoadLanguages]
    );
    update(
        &mut s,
        Action::LanguagesLoaded(vec![
            (Some("it".into()), 7),
            (Some("en".into()), 3),
            (None, 1),
        ]),
    );
    let labels: Vec<String> = s
        .orgs
        .picker
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|(_, l)| l.clone())
        .collect();
    assert_eq!(labels, ["All languages", "it  (7)", "en  (3)"]);
    insta::assert_snapshot!("language_picker_60x20", {
        let mut small = s.clone();
        update(
            &mut small,
            Action::Resize {
                width: 60,
                height: 20,
            },
        );
        screen(&small)
    });
    update(&mut s, Action::Picker(PickerKey::Down));
    update(&mut s, Action::Picker(PickerKey::Choose));
    assert_eq!(s.query().search.as_deref(), Some("lang:it"));
    assert!(s.orgs.picker.is_none());
}

#[test]
fn folded_posts_show_as_a_marker_and_in_the_reader() {
    let mut s = state(120, 40);
    let first = screen(&s);
    assert!(
        first
            .lines()
            .any(|l| l.contains("🦋") && l.contains("Worker cooperatives")),
        "{first}"
    );
    assert!(
        !first
            .lines()
            .any(|l| l.contains("🦋") && l.contains("Le cooperative"))
    );
    let article = StoredArticle {
        id: 1,
        feed_id: 1,
        feed: "CECOP site".into(),
        title: "Worker cooperatives in Europe: the annual report".into(),
        link: Some("https://cecop.coop/news/report".into()),
        author: None,
        published: now() - Duration::hours(2),
        read: true,
        starred: false,
        text: "The report is out.".into(),
        links: vec![],
        html: Some("<p>The report is out.</p>".into()),
        language: Some("en".into()),
    };
    update(&mut s, Action::Open);
    update(&mut s, Action::ArticleLoaded(Box::new(article)));
    update(
        &mut s,
        Action::AlsoLoaded(
            1,
            vec![AlsoRow {
                id: 9,
                feed_id: 2,
                feed: "CECOP 🦋".into(),
                title: "Our report is out".into(),
                link: Some("https://bsky.app/profile/cecop.bsky.social/post/p1".into()),
                published: now() - Duration::hours(3),
                text: "Our report is out: https://cecop.coop/news/report".into(),
                is_post: true,
                engagement: Some(Engagement {
                    likes: 12,
                    reposts: 3,
                    replies: 1,
                    quotes: 0,
                }),
            }],
        ),
    );
    let text = screen(&s);
    assert!(text.contains("On Bluesky"), "{text}");
    assert!(text.contains("https://cecop.coop/news/report"), "{text}");
    assert!(text.contains("2025-03-14 09:00"), "{text}");
    // The post's line ends with its likes and reposts (a wide 🔁 takes two cells).
    let counts = text
        .lines()
        .find(|l| l.contains("♥"))
        .expect("counts shown");
    let counts: String = counts.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(counts.contains("2025-03-14 09:00 · ♥ 12 🔁 3"), "{text}");
}

#[test]
fn an_organisation_counts_its_unread_stories_not_their_copies() {
    let mut s = state(120, 40);
    // Two unread Bluesky posts of CECOP: one folded into CECOP's own article (counted
    // already under the site), one into a Legacoop article (a story CECOP's list shows).
    let folded = vec![
        FoldedUnread {
            feed: 2,
            story: 1,
            story_feed: 1,
        },
        FoldedUnread {
            feed: 2,
            story: 7,
            story_feed: 3,
        },
    ];
    common::app::feeds_loaded(&mut s, feeds(), 1, folded);
    let cecop = SubEntry::Org("CECOP".into());
    assert_eq!(s.entry_unread(&cecop), 4 + 2 - 1);
    assert_eq!(s.entry_unread(&SubEntry::Org("Legacoop".into())), 5);
    assert_eq!(s.entry_unread(&SubEntry::All), 4 + 2 + 5 - 2);
    // The Bluesky subscription alone lists both stories.
    assert_eq!(s.entry_unread(&SubEntry::Feed { id: 2, tag: None }), 2);
}

#[test]
fn an_organisation_follows_its_subscriptions_as_they_change() {
    let mut s = state(120, 40);
    let cecop = SubEntry::Org("CECOP".into());
    assert_eq!(s.entry_feeds(&cecop), Some(vec![1, 2]));

    // A new CECOP subscription (the config reloaded): its count and rows join at once.
    let mut more = feeds();
    more.push(FeedInfo {
        id: 5,
        title: "CECOP newsletter".into(),
        tags: Vec::new(),
        unread: 3,
        error: None,
    });
    common::app::feeds_loaded(&mut s, more, 1, Vec::new());
    // Subscription 2's organisation as given; the others' as in `state`.
    let orgs = |bluesky: &str| {
        let names = ["CECOP", bluesky, "Legacoop", "ICA", "CECOP"];
        Action::OrgsLoaded((1..).zip(names.map(String::from)).collect())
    };
    update(&mut s, orgs("CECOP"));
    assert_eq!(s.entry_feeds(&cecop), Some(vec![1, 2, 5]));
    assert_eq!(s.entry_unread(&cecop), 4 + 2 + 3);

    // The Bluesky account moved to an organisation of its own: CECOP no longer counts it.
    update(&mut s, orgs("CECOP Bluesky"));
    assert_eq!(s.entry_feeds(&cecop), Some(vec![1, 5]));
    assert_eq!(s.entry_unread(&cecop), 4 + 3);
    assert!(screen(&s).contains("CECOP Bluesky"));

    // A subscription gone from the config is gone from its organisation.
    common::app::feeds_loaded(&mut s, feeds()[..3].to_vec(), 1, Vec::new());
    assert_eq!(s.entry_feeds(&cecop), Some(vec![1]));
    assert_eq!(s.entry_unread(&cecop), 4);
}
