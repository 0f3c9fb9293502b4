"""Cutting quoted history off emailed replies, and reading HTML-only mails as text."""
import pytest

from loket.services.messaging.mail_text import html_to_text, strip_quoted_reply


@pytest.mark.parametrize("client, text", [
    ("gmail nl (wrapped header)", "Ja, dat klopt.\n\nOp ma 3 feb 2025 om 10:12 schreef Loket <\n"
                                  "noreply@loket.example>:\n\n> Beste Anna,\n> Hoeveel?\n"),
    ("gmail nl (one line)", "Ja, dat klopt.\n\nOp ma 3 feb 2025 om 10:12 schreef Loket <noreply@loket.example>:\n> x\n"),
    ("apple mail nl", "Ja, dat klopt.\n\nOp 3 feb 2025, om 10:12 heeft Loket <noreply@loket.example> het "
                      "volgende geschreven:\n\nBeste Anna,\n"),
    ("thunderbird nl", "Ja, dat klopt.\n\nOp 03-02-2025 om 10:12 schreef Loket:\nBeste Anna,\n"),
    ("english", "Ja, dat klopt.\n\nOn Mon, Feb 3, 2025 at 10:12 AM Loket <noreply@loket.example> wrote:\n> Hi\n"),
    ("outlook nl", "Ja, dat klopt.\r\n\r\nVan: Loket <noreply@loket.example>\r\nVerzonden: maandag 3 februari 2025"
                   "\r\nAan: Anna\r\nOnderwerp: Re: vraag\r\n\r\nBeste Anna,\r\n"),
    ("outlook en (bold)", "Ja, dat klopt.\n\n*From:* Loket\n*Sent:* Monday\n*To:* Anna\n\nHi\n"),
    ("outlook separator", "Ja, dat klopt.\n\n________________________________\nVan: Loket\n"),
    ("original message", "Ja, dat klopt.\n\n-----Oorspronkelijk bericht-----\nBeste Anna\n"),
    ("quote lines", "Ja, dat klopt.\n\n> Beste Anna,\n> Hoeveel?\n"),
    ("signature", "Ja, dat klopt.\n-- \nAnna de Vries\nSecretaris VV Utrechtse Boys\n"),
    ("phone", "Ja, dat klopt.\n\nVerzonden vanaf mijn iPhone\n"),
])
def test_reply_headers_and_quotes_are_cut_off(client, text):
    assert strip_quoted_reply(text) == "Ja, dat klopt."


def test_text_without_history_is_kept_whole():
    text = "Wat we nodig hebben:\n- drie trainers\n- een scheidsrechter\n\n\n\nGroet, Anna\n"
    assert strip_quoted_reply(text) == "Wat we nodig hebben:\n- drie trainers\n- een scheidsrechter\n\nGroet, Anna"


@pytest.mark.parametrize("text", [
    "Op zaterdag zijn we er niet.\nDe voorzitter schreef ons:\nkom zondag.",  # no date: not a reply header
    "On Monday we train.\nOp dinsdag niet.",
    "Van: de voorzitter kregen we dit.",  # one header-like line is not an Outlook block
])
def test_ordinary_sentences_are_not_taken_for_reply_headers(text):
    assert strip_quoted_reply(text) == text


def test_answers_between_quotes_keep_their_own_lines():
    text = "> Hoeveel trainers?\nDrie.\n> Welke dagen?\nDinsdag en donderdag.\n"
    assert strip_quoted_reply(text) == "Drie.\nDinsdag en donderdag."


def test_only_quoted_text_leaves_nothing():
    assert strip_quoted_reply("> alleen het citaat\n>\n") == ""
    assert strip_quoted_reply(None) == ""


def test_html_becomes_text_without_quotes_scripts_or_styles():
    html = ("<html><head><title>t</title><style>p{color:red}</style></head><body><p>Hallo&nbsp;daar,</p>"
            "<div>regel 2<br>regel   3</div><blockquote><p>oude mail</p></blockquote><script>alert(1)</script>"
            "<ul><li>een</li><li>twee</li></ul></body></html>")
    assert html_to_text(html) == "Hallo daar,\n\nregel 2\nregel 3\n\neen\n\ntwee"
    assert html_to_text("") == "" and html_to_text(None) == ""
