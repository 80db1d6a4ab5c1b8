"""What preparing a ward's street layer did (``geo.streets.prepare_streets``), in words.

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo import formatting as fmt
from geo.i18n import N_, Figure, Joined, Message, Msgid
from geo.vocabulary import STREET_CLASSES


@dataclass
class StreetSummary:
    """What ``prepare_streets`` did, for the import's dry-run report."""

    read: int
    kept: int
    merged: int = 0
    clipped: int = 0
    duplicates: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    unnamed: int = 0
    km_by_class: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Short sentences, one per thing done (each a ``geo.i18n.Message``, Vietnamese as a
        ``str``).

        >>> summary = StreetSummary(read=5, kept=3, merged=1, dropped={"trùng lặp": 1},
        ...                         km_by_class={"main": 1.26, "alley": 0.3})
        >>> for line in summary.lines():
        ...     print(line)
        Đọc 5 đối tượng từ tệp
        Giữ 3 đoạn đường (tổng 1,6 km)
        Gộp 1 đoạn nối tiếp cùng tên
        Bỏ 1 đoạn: trùng lặp 1
        Đường chính 1,3 km; Hẻm 0,30 km
        """
        out = [Message(N_("Đọc %(n)s đối tượng từ tệp"), n=Figure(fmt.integer, self.read)),
               Message(N_("Giữ %(n)s đoạn đường (tổng %(km)s km)"),
                       n=Figure(fmt.integer, self.kept), km=_km(sum(self.km_by_class.values())))]
        if self.merged:
            out.append(Message(N_("Gộp %(n)s đoạn nối tiếp cùng tên"),
                               n=Figure(fmt.integer, self.merged)))
        if self.clipped:
            out.append(Message(N_("Cắt %(n)s đoạn tại ranh giới phường"),
                               n=Figure(fmt.integer, self.clipped)))
        if self.dropped:
            reasons = sorted(self.dropped.items(), key=lambda item: (-item[1], item[0]))
            shown = [Message(N_("%(reason)s %(n)s"), n=Figure(fmt.integer, count),
                             reason=reason if isinstance(reason, Message) else Msgid(reason))
                     for reason, count in reasons[:8]]
            if len(reasons) > 8:
                shown.append(Message(N_("lý do khác %(n)s"),
                                     n=Figure(fmt.integer, sum(count for _, count in reasons[8:]))))
            out.append(Message(N_("Bỏ %(n)s đoạn: %(reasons)s"),
                               n=Figure(fmt.integer, sum(self.dropped.values())),
                               reasons=Joined(shown)))
        if self.unnamed:
            out.append(Message(N_("%(n)s đoạn không tên: đặt tên theo loại và đường có tên gần "
                                  "nhất"), n=Figure(fmt.integer, self.unnamed)))
        by_class = [Message(N_("%(kind)s %(km)s km"), kind=Msgid(STREET_CLASSES[code]),
                            km=_km(km)) for code, km in self.km_by_class.items() if km > 0]
        if by_class:
            out.append(Joined(by_class, "; "))
        return out


def _km(km: float) -> str:
    return Figure(fmt.number, km, 1 if km >= 1 or km == 0 else 2)
