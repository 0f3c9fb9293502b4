"""The new part of an emailed reply: quoted history, reply headers and signatures cut off; HTML as text.

Written here rather than taken from a library: the reply parsers on PyPI either know English only
(email-reply-parser) or miss Gmail's Dutch header, where the name follows "schreef" (mail-parser-reply).
"""
import re
from html.parser import HTMLParser

# "Op ma 3 feb 2025 om 10:12 schreef Loket <noreply@…>:" (Gmail), "Op 3 feb 2025, om 10:12 heeft Loket het
# volgende geschreven:" (Apple Mail), "On Mon, Feb 3, 2025 at 10:12 Loket <…> wrote:". Gmail wraps long
# headers over lines (never across a blank line); it ends in a colon, and its first line holds a
# date or time (a digit), which keeps "Op zaterdag …\nDe voorzitter schreef:" in the message.
_WROTE_HEADER = re.compile(
    r"^[ \t]*(?:Op|On)\s(?=[^\n]*\d)(?:[^\n]|\n(?!\s*\n)){0,300}?\b(?:schreef|geschreven|wrote)\b"
    r"(?:[^\n]|\n(?!\s*\n)){0,200}?:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook: a block of at least two header lines ("Van: …", "Verzonden: …") starts the quoted mail.
_HEADER_NAMES = r"(?:Van|Verzonden|Aan|Onderwerp|Datum|CC|From|Sent|To|Subject|Date)"
_OUTLOOK_HEADERS = re.compile(rf"^[ \t*]*{_HEADER_NAMES}:[^\n]*\n[ \t*]*{_HEADER_NAMES}:", re.IGNORECASE | re.MULTILINE)
_SEPARATOR = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Original Message|Oorspronkelijk bericht|Forwarded message|Doorgestuurd bericht)"
    r"[ \t]*-{2,}|_{20,}|-- ?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SENT_FROM = re.compile(r"^[ \t]*(?:Verzonden (?:vanaf|met|van) mijn|Sent from my)\b.*$", re.IGNORECASE | re.MULTILINE)
_QUOTED = re.compile(r"^[ \t]*>", re.MULTILINE)


def strip_quoted_reply(text: str | None) -> str:
    """The text the sender wrote, without the history their mail client quoted under it.

    Everything from the first reply header, quote line ('>'), Outlook header block, separator line,
    signature delimiter ('-- ') or "Sent from my phone" line onwards is dropped. A mail that *starts*
    with quoted text (answers written between the quotes) keeps its own lines and drops the quoted ones.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    cuts = [match.start() for pattern in (_WROTE_HEADER, _OUTLOOK_HEADERS, _SEPARATOR, _SENT_FROM, _QUOTED)
            if (match := pattern.search(text))]
    new_part = text[:min(cuts)] if cuts else text
    if not new_part.strip() and _QUOTED.search(text):
        # Interleaved answers: keep what is not quoted, up to any reply header.
        own = "\n".join(line for line in text.split("\n") if not _QUOTED.match(line))
        return strip_quoted_reply(own) if own.strip() else ""
    return _tidy(new_part)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextExtractor(HTMLParser):
    """Text of an HTML mail, with line breaks at block elements; quoted history (<blockquote>),
    scripts and styles left out."""

    _SKIP = {"script", "style", "head", "title", "blockquote"}
    _BREAK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BREAK and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n\xa0]+", " ", data))


def html_to_text(html: str | None) -> str:
    """Readable plain text of an HTML mail body (for mails that come without a text part)."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return _tidy("\n".join(line.strip() for line in "".join(extractor.parts).split("\n")))
