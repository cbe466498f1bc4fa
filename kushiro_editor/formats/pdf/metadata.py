"""What the PDF says about itself: its subject, its creator and its XMP metadata.

A PDF put on the city's website is found, listed and read out by its
properties: the document information (title, author, subject, creator) and
the XMP metadata stream that PDF 2.0 and PDF/UA prefer to it. Both carry the
same values, and the language, so that neither contradicts the other.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ...core import fiscal
from ...core.model import Report

LANGUAGE = "ja-JP"
CREATOR = "釧路市 総合戦略 進捗報告エディタ"


def subject(report: Report) -> str:
    """What the document is about, in a sentence: the document information's subject."""
    actual, plan = fiscal.long_label(report.actual_year), fiscal.long_label(report.plan_year)
    return f"{report.title}：基本目標・基本的方向ごとの所管部署の{actual}実績と{plan}取組予定"


def xmp_packet(title: str, author: str, about: str) -> bytes:
    """The XMP packet (ISO 16684-1) of the document: Dublin Core title, creator, subject, language.

    ReportLab writes the metadata stream (``pdfdoc.XMP``) but not what it holds.
    UTF-8 bytes, not text: ReportLab would encode text in PDFDocEncoding, which
    has no kanji, and count its length in characters.
    """

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:format>application/pdf</dc:format>
<dc:title>{alt(title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{alt(about)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>{escape(CREATOR)}</xmp:CreatorTool>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()
