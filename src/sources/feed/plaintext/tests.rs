//! Bodies to plain text: tags, references, blocks, whitespace folding, `<pre>`.

use super::plain_text;

#[test]
fn tags_stripped_and_space_folded() {
    assert_eq!(plain_text("<p>Hello <a href=\"/two\">x</a></p>"), "Hello x");
    assert_eq!(plain_text("a<span>b</span> \n\t c"), "ab c");
    assert_eq!(plain_text("<b>bold</b><i>it</i>"), "boldit");
    assert_eq!(plain_text("ciao"), "ciao");
    assert_eq!(plain_text(""), "");
}

#[test]
fn references_decoded() {
    assert_eq!(
        plain_text("l&#8217;80% &egrave; d&rsquo;accordo &amp; 5&nbsp;&euro; &#x1F600;"),
        "l’80% è d’accordo & 5\u{a0}€ 😀"
    );
    assert_eq!(plain_text("a &lt;b&gt; &bogus; & c"), "a <b> &bogus; & c");
}

#[test]
fn blocks_become_lines() {
    let html = "<div><h2>Titolo</h2><p>Uno <br>due</p><ul><li>a</li><li>b</li></ul>fine</div>";
    assert_eq!(plain_text(html), "Titolo\n\nUno\ndue\n\na\nb\n\nfine");
    assert_eq!(plain_text("a<br><br><br>b"), "a\n\nb");
    assert_eq!(
        plain_text("<table><tr><td>1</td><td>2</td></tr></table>"),
        "1 2"
    );
}

#[test]
fn script_style_comments_skipped() {
    let html = "x<script>if (a < b) { document.write('<p>no</p>') }</script>y\
                <style>p { color: red }</style><!-- <p>hidden</p> -->z<?php ?>";
    assert_eq!(plain_text(html), "xyz");
    assert_eq!(plain_text("a<SCRIPT type=x>b</SCRIPT >c"), "ac");
    assert_eq!(plain_text("a<script>never closed"), "a");
    assert_eq!(plain_text("a<!-- never closed"), "a");
}

#[test]
fn odd_markup() {
    assert_eq!(plain_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
    assert_eq!(plain_text("<a title=\"x > y\" href='/'>link</a>"), "link");
    assert_eq!(plain_text("cut <a href=\"/"), "cut");
    assert_eq!(plain_text("<pre>a  b\n  c</pre>d"), "a  b\n  c\n\nd");
    assert_eq!(plain_text("é<img src=x alt=y>ñ 🇮🇹"), "é y ñ 🇮🇹");
    assert_eq!(plain_text("<img alt='l&#8217;a b' src=\"x\"/>c"), "l’a b c");
    assert_eq!(plain_text("<img src=x>c<img alt>"), "c");
    assert_eq!(plain_text("a\u{1b}[31mb"), "a[31mb");
}

#[test]
fn words_written_in_stretches_fold_as_one_at_a_time() {
    // Single spaces stand; any other whitespace, or two spaces, folds to one space.
    assert_eq!(plain_text("one two three"), "one two three");
    assert_eq!(
        plain_text("one  two\tthree\r\nfour\x0cfive "),
        "one two three four five"
    );
    assert_eq!(plain_text(" lead, trail "), "lead, trail");
    assert_eq!(plain_text("a \n b<br>c <p> d </p>"), "a b\nc\n\nd");
    assert_eq!(
        plain_text("<SCRIPT>x</script><BlockQuote>q</BLOCKQUOTE>z"),
        "q\n\nz"
    );
    assert_eq!(plain_text("<blockquotes>a</blockquotes>b"), "ab");
}

#[test]
fn a_body_that_is_clean_text_is_kept_and_one_that_is_not_is_cleaned() {
    assert_eq!(plain_text("<p>x\u{a0}</p><p>y</p>"), "x\n\ny");
    assert_eq!(plain_text("a\u{202e}b\u{85}c\u{1}d"), "abcd");
    assert_eq!(plain_text("<pre>a \n\n\n\tb</pre>"), "a\n\n b");
}
