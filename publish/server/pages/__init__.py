"""HTML pages in Danish and English, rendered from a `Description` (never from the store).

* `i18n`: language choice, interface text, predicate names, numbers in each language.
* `links`: IRIs as local links and readable names; the property tables every page shows.
* `evidence`: the quoted sentence, highlighted in its paragraph (`normalise`, `align`,
  `locate`).
* `chart`: figures as table rows and as bars.
* one view per kind of page: `resource` (generic), `area`, `actor`, `figure`, `document`,
  `ontology`, `home`; `site.Pages` chooses among them from the table `site.VIEWS`.
"""

from publish.server.pages.chart import Bar, Chart, ChartGroup
from publish.server.pages.evidence import Evidence, Piece, align, locate, normalise
from publish.server.pages.i18n import LANGS, TEXT, choose_lang, format_number
from publish.server.pages.links import Link
from publish.server.pages.site import VIEWS, Pages, page_kind

__all__ = [
    "LANGS", "TEXT", "VIEWS", "Bar", "Chart", "ChartGroup", "Evidence", "Link", "Pages",
    "Piece", "align", "choose_lang", "format_number", "locate", "normalise", "page_kind",
]
