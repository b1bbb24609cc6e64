"""Dateline strings for tests/test_datelines.py and bench/eval_datelines.py.

Each case: (language, text, publication date or None, update date or None).
Written from the forms real papers and wires use (AP/Reuters/AFP datelines,
press-release wires such as PRNewswire and CNW, French, Belgian, Swiss,
Canadian and Algerian sites' "Publié le … Mis à jour le …" stamps). A third
of them, chosen by a hash of the text (held_back()), was left out while the
grammar was written, and measured once it was done.
"""
from __future__ import annotations

import hashlib

POSITIVE = [
    ("fr", "Paris, le 14 juillet 2019 – Le président a parlé.", "2019-07-14", None),
    ("fr", "PARIS, 14 juillet 2019 (AFP) - Le président a parlé.", "2019-07-14", None),
    ("fr", "14/07/2019 – Le président a parlé.", "2019-07-14", None),
    ("fr", "Le 14 juillet 2019 à 10h30 – Le président a parlé.", "2019-07-14T10:30", None),
    ("fr", "Publié le 14/07/2019 à 10h30, mis à jour le 15/07/2019 à 08h00\nLe président a parlé.",
     "2019-07-14T10:30", "2019-07-15T08:00"),
    ("fr", "Publié le 14 juillet 2019 Mis à jour le 15 juillet 2019\nLe président a parlé.",
     "2019-07-14", "2019-07-15"),
    ("en", "WASHINGTON, July 14, 2019 (Reuters) - The president spoke.", "2019-07-14", None),
    ("en", "July 14, 2019 — The president spoke.", "2019-07-14", None),
    ("en", "Updated: July 15, 2019\nThe president spoke.", None, "2019-07-15"),
    ("fr", "14 juillet 2019 – Le président a parlé.", "2019-07-14", None),
    ("fr", "MONTRÉAL, le 14 juillet 2019 /CNW Telbec/ - La société annonce.", "2019-07-14", None),
    ("en", "NEW YORK, July 14, 2019 /PRNewswire/ -- Acme Corp. announced.", "2019-07-14", None),
    ("fr", "Alger, 14 juillet 2019 (APS) - Le ministre a déclaré.", "2019-07-14", None),
    ("fr", "GENÈVE, 14.07.2019 - Le Conseil fédéral a décidé.", "2019-07-14", None),
    ("fr", "Publié le lundi 15 juillet 2019 à 10:30\nLe ministre a déclaré.", "2019-07-15T10:30", None),
    ("fr", "Mis en ligne le 14/07/2019 à 10:30\nLe ministre a déclaré.", "2019-07-14T10:30", None),
    ("en", "Published on 14 July 2019\nThe minister said.", "2019-07-14", None),
    ("en", "Posted on July 14, 2019 at 10:30 am\nThe minister said.", "2019-07-14T10:30", None),
    ("en", "Last updated on July 15, 2019 at 8:00 a.m. ET\nThe minister said.", None, "2019-07-15T08:00"),
    ("en", "KANSAS CITY, Mo., Oct. 12, 2023 — The city council voted.", "2023-10-12", None),
    ("en", "Los Angeles, CA — March 1, 2023 — The city council voted.", "2023-03-01", None),
    ("fr", "Dimanche 14 juillet 2019 - 10:30 - Le défilé a commencé.", "2019-07-14T10:30", None),
    ("fr", "Québec, le lundi 15 juillet 2019 – Le gouvernement a annoncé.", "2019-07-15", None),
    ("fr", "2019-07-14 10:30 — Le président a parlé.", "2019-07-14T10:30", None),
    ("fr", "AFP, publié le dimanche 14 juillet 2019 à 10h30\nLe défilé a commencé.", "2019-07-14T10:30", None),
    ("fr", "Mis à jour le 15/07/2019 à 08h00 | Publié le 14/07/2019 à 10h30\nLe défilé a commencé.",
     "2019-07-14T10:30", "2019-07-15T08:00"),
    ("en", "July 14, 2019 8:30 AM EDT\nThe parade began.", "2019-07-14T08:30", None),
    ("en", "Jul 14, 2019 | 10:30 PM\nThe parade began.", "2019-07-14T22:30", None),
    ("en", "Updated 10:30 AM EDT, Mon July 15, 2019\nThe parade began.", None, "2019-07-15T10:30"),
    ("en", "Sunday, July 14, 2019 — The parade began.", "2019-07-14", None),
    ("fr", "Bruxelles, 14 juillet 2019 (Belga) – Le gouvernement fédéral a annoncé.", "2019-07-14", None),
    ("fr", "14 juil. 2019 à 10h30 – Le défilé a commencé.", "2019-07-14T10:30", None),
    ("fr", "1er juillet 2019 – Le défilé a commencé.", "2019-07-01", None),
    ("fr", "Publié le 14 juillet 2019 à 10h30 - Mis à jour le 14 juillet 2019 à 12h45\nLe défilé a commencé.",
     "2019-07-14T10:30", "2019-07-14T12:45"),
    ("fr", "Le 14/07/2019 à 10:30 – Le défilé a commencé.", "2019-07-14T10:30", None),
    ("fr", "Saint-Denis de la Réunion, 14 juillet 2019 – Le préfet a annoncé.", "2019-07-14", None),
    ("fr", "PORT-AU-PRINCE, Haïti, 14 juillet 2019 (AFP) – Le gouvernement a annoncé.", "2019-07-14", None),
    ("en", "Washington, D.C., July 14, 2019 — The president spoke.", "2019-07-14", None),
    ("fr", "Publié le 14 juillet 2019 à 10h30 Le président a annoncé une réforme des retraites.",
     "2019-07-14T10:30", None),
    ("fr", "Actualisé le 15.07.2019 à 08:00\nLe Conseil fédéral a décidé.", None, "2019-07-15T08:00"),
    ("fr", "Modifié le 15 juillet 2019 à 8 h\nLe Conseil fédéral a décidé.", None, "2019-07-15T08:00"),
    ("fr", "Paris (AFP), le 14 juillet 2019 – Le président a parlé.", "2019-07-14", None),
    ("en", "LONDON, 14 July 2019 (Reuters) - The prime minister spoke.", "2019-07-14", None),
    ("en", "Published: 14/07/2019 10:30 BST | Updated: 15/07/2019 08:00 BST\nThe prime minister spoke.",
     "2019-07-14T10:30", "2019-07-15T08:00"),
    ("fr", "Titre de l’article\n\nPublié le 14 juillet 2019\nLe président a parlé.", "2019-07-14", None),
    ("fr", "Ottawa, le 14 juillet 2019 — Le ministre a annoncé.", "2019-07-14", None),
    ("fr", "Le lundi 15 juillet 2019 - Le ministre a annoncé.", "2019-07-15", None),
    ("en", "Posted: Sun 14 Jul 2019 10.30 BST\nThe prime minister spoke.", "2019-07-14T10:30", None),
]

NEGATIVE = [
    ("fr", "14 juillet 2019 restera une date dans l’histoire du pays."),
    ("fr", "Le 14 juillet 2019, la foule a envahi les Champs-Élysées."),
    ("fr", "Le 14 juillet 2019 à Paris, la foule a envahi les Champs-Élysées."),
    ("en", "July 14, 2019 was the hottest day of the year."),
    ("en", "On July 14, 2019, the crowd filled the streets."),
    ("fr", "Mis à jour le 31 février 2019 – Le président a parlé."),
    ("fr", "Jeudi 31 août 2016 — Le président a parlé."),
    ("fr", "Paris, le 14 juillet 2019, le président a déclaré que rien ne changerait."),
    ("fr", "PARIS (AFP) - Le président a parlé."),
    ("fr", "Le président a parlé le 14 juillet 2019 – puis il est parti."),
    ("fr", "14/07 – Le président a parlé."),
    ("en", "BEIRUT, Lebanon, June 2 — The outlook was uncertain."),
    ("en", "LONDON, July 14 (Reuters) - The prime minister spoke."),
    ("fr", "Publié il y a 3 heures\nLe président a parlé."),
    ("fr", "14 juillet 2019 : le jour où tout a basculé"),
    ("fr", "Le rapport publié le 14 juillet 2019 montre une hausse du chômage."),
    ("fr", "Le 14 juillet 2019 restera dans les mémoires – comme le dit le maire."),
    ("en", "Updated: yesterday\nThe prime minister spoke."),
    ("fr", "2019 – Une année record pour le tourisme."),
    ("fr", "Titre\n\n" + "Un paragraphe du texte.\n\n" * 6 + "14 juillet 2019 – Le président a parlé."),
    ("en", "The report published on July 14, 2019 shows a rise in unemployment."),
    ("fr", "Publié le 14 juillet 2019, le livre a connu un grand succès."),
]


def held_back(text: str) -> bool:
    """A third of the cases, by a hash of their text: left out while the grammar was written."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 3 == 0


def split(cases: list) -> tuple[list, list]:
    """(development cases, held-back cases)."""
    dev = [c for c in cases if not held_back(c[1])]
    return dev, [c for c in cases if held_back(c[1])]
