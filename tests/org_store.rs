//! The store's side of organisations: copies fold by canonical link, read marks spread to
//! every row of a story, the list's rows and counts, and canonical links of articles stored
//! before there were any.

mod common;

use common::stored::{article, day, fetched, id_of};
use coopnews::model::Article;
use coopnews::store::{ListQuery, Scope, Store, Subscription};

fn two_outlets() -> (Store, i64, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let ids = store
        .sync_subscriptions(&[
            Subscription {
                key: "https://one.example/feed".into(),
                title: Some("One".into()),
            },
            Subscription {
                key: "https://two.example/feed".into(),
                title: Some("Two".into()),
            },
        ])
        .unwrap();
    (store, ids[0], ids[1])
}

fn linked(guid: &str, title: &str, link: &str, n: u32) -> Article {
    Article {
        link: Some(link.into()),
        ..article(guid, title, day(n))
    }
}

fn titles(store: &Store, q: &ListQuery) -> Vec<String> {
    store
        .list_rows(q)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect()
}

fn all() -> ListQuery {
    ListQuery {
        limit: 50,
        ..Default::default()
    }
}

#[test]
fn the_same_story_from_two_outlets_is_one_row_and_one_read() {
    let (mut store, one, two) = two_outlets();
    let story = "https://www.story.example/2025/report/";
    store
        .record_fetched(one, &fetched(vec![linked("a", "Report", story, 1)]), day(1))
        .unwrap();
    let copy = linked(
        "b",
        "Report (copy)",
        "http://story.example/2025/report?utm_source=newsletter#x",
        2,
    );
    let other = linked("c", "Other", "https://story.example/2025/other", 3);
    store
        .record_fetched(two, &fetched(vec![copy, other]), day(2))
        .unwrap();
    assert_eq!(titles(&store, &all()), ["Other", "Report"]);
    let (report, copy) = (id_of(&store, "Report"), id_of(&store, "Report (copy)"));
    let also = store.also(report).unwrap();
    assert_eq!(also.len(), 1);
    assert_eq!((also[0].id, also[0].feed.as_str()), (copy, "Two"));
    // The second outlet's view lists the story it carries.
    let of_two = ListQuery {
        feeds: Some(vec![two]),
        ..all()
    };
    assert_eq!(titles(&store, &of_two), ["Other", "Report"]);
    assert_eq!(store.count(&all()).unwrap(), 2);

    // Read from either side, both rows follow.
    store.set_read(&Scope::Ids(vec![report]), true).unwrap();
    assert!(store.article(copy).unwrap().unwrap().read);
    store.set_read(&Scope::Ids(vec![copy]), false).unwrap();
    assert!(!store.article(report).unwrap().unwrap().read);
    store.set_read(&Scope::Feeds(vec![two]), true).unwrap();
    assert!(store.article(report).unwrap().unwrap().read);
    let statuses = store.feed_statuses().unwrap();
    assert_eq!(statuses.iter().map(|s| s.unread).sum::<i64>(), 0);

    // A copy arriving after the story was read is read too.
    let third = store
        .sync_subscriptions(&[Subscription {
            key: "https://three.example/feed".into(),
            title: None,
        }])
        .unwrap()[0];
    store
        .record_fetched(
            third,
            &fetched(vec![linked("d", "Again", story, 4)]),
            day(4),
        )
        .unwrap();
    assert!(store.article(id_of(&store, "Again")).unwrap().unwrap().read);
    assert_eq!(store.also(report).unwrap().len(), 2);
}

#[test]
fn an_organisation_taken_out_of_the_config_falls_back_to_the_title() {
    let (mut store, one, two) = two_outlets();
    let orgs = |store: &coopnews::store::Store| -> Vec<String> {
        store
            .feed_statuses()
            .unwrap()
            .into_iter()
            .map(|s| s.org)
            .collect()
    };
    store
        .sync_orgs(&[(one, Some("CECOP".into())), (two, Some("CECOP".into()))])
        .unwrap();
    assert_eq!(orgs(&store), ["CECOP", "CECOP"]);
    store
        .sync_orgs(&[(one, Some("CICOPA".into())), (two, None)])
        .unwrap();
    assert_eq!(orgs(&store), ["CICOPA", "Two"]);
}

#[test]
fn organisations_default_to_the_title_and_languages_are_counted() {
    let (mut store, one, two) = two_outlets();
    store
        .sync_orgs(&[(one, Some("CECOP".into())), (two, None)])
        .unwrap();
    let orgs: Vec<String> = store
        .feed_statuses()
        .unwrap()
        .into_iter()
        .map(|s| s.org)
        .collect();
    assert_eq!(orgs, ["CECOP", "Two"]);
    let mut italian = article("a", "Assemblea", day(1));
    italian.language = Some("it-IT".into());
    let mut english = article("b", "Meeting", day(2));
    english.language = Some("EN".into());
    let unknown = article("c", "?", day(3));
    store
        .record_fetched(one, &fetched(vec![italian, english.clone()]), day(3))
        .unwrap();
    english.guid = "b2".into();
    english.link = Some("https://example.coop/b2".into());
    store
        .record_fetched(two, &fetched(vec![english, unknown]), day(3))
        .unwrap();
    assert_eq!(
        store.languages().unwrap(),
        vec![
            (Some("en".to_string()), 2),
            (None, 1),
            (Some("it".to_string()), 1)
        ]
    );
    assert_eq!(
        store
            .article(id_of(&store, "Assemblea"))
            .unwrap()
            .unwrap()
            .language
            .as_deref(),
        Some("it")
    );
}

#[test]
fn articles_stored_before_canonical_links_get_theirs_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = Store::open(&path).unwrap();
        let id = store
            .sync_subscriptions(&[Subscription {
                key: "https://one.example/feed".into(),
                title: None,
            }])
            .unwrap()[0];
        let a = linked("a", "Report", "https://www.story.example/report/", 1);
        store.record_fetched(id, &fetched(vec![a]), day(1)).unwrap();
    }
    {
        // As a database of schema 4 leaves it after migrating: no canonical link yet.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE articles SET canonical = NULL;
             INSERT INTO pending_backfill VALUES ('canonical');",
        )
        .unwrap();
    }
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let canonical: String = conn
        .query_row("SELECT canonical FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(canonical, "story.example/report");
    let pending: i64 = conn
        .query_row("SELECT COUNT(*) FROM pending_backfill", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0);
}
