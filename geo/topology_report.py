"""The report of a khu phố topology check (``geo.topology``) and its wording.

An :class:`Overlap` or a :class:`Gap` is one problem found, measured in metres and placed in
longitude/latitude; :class:`TopologyReport` holds them all and says them as sentences, each
a ``geo.i18n.Message`` (Vietnamese as a ``str``, English through ``geo.i18n.translate``).

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message


@dataclass(frozen=True)
class Overlap:
    rows: tuple[int, int]
    codes: tuple[str, str]
    area_m2: float
    width_m: float
    where: tuple[float, float]
    sliver: bool


@dataclass(frozen=True)
class Gap:
    area_m2: float
    width_m: float
    where: tuple[float, float]
    neighbours: tuple[str, ...]
    at_edge: bool
    sliver: bool


@dataclass
class TopologyReport:
    overlaps: list[Overlap]
    gaps: list[Gap]
    ward_area_m2: float
    covered_m2: float
    outside_m2: float
    tolerance_m: float

    @property
    def coverage(self) -> float:
        return self.covered_m2 / self.ward_area_m2 if self.ward_area_m2 else 0.0

    @property
    def refused_overlaps(self) -> list[Overlap]:
        return [o for o in self.overlaps if not o.sliver]

    @property
    def slivers(self) -> list[Overlap | Gap]:
        return [o for o in self.overlaps if o.sliver] + [g for g in self.gaps if g.sliver]

    def lines(self) -> list[str]:
        """The report, one sentence a line (each a ``geo.i18n.Message``, Vietnamese as a
        ``str``): coverage, what to fix, what to snap.

        >>> gap = Gap(12345.0, 40.0, (106.9, 10.86), ("KP01",), True, False)
        >>> report = TopologyReport([], [gap], 950_000.0, 937_655.0, 0.0, 2.0)
        >>> report.lines()[:2]  # doctest: +NORMALIZE_WHITESPACE
        ['Các khu phố phủ 98,7% diện tích phường (còn 12.345 m² chưa thuộc khu phố nào).',
         'Khe hở ở rìa phường cạnh KP01: 12.345 m² (rộng khoảng 40 m) tại 10.86000, 106.90000
          — vượt dung sai 2 m, phải sửa ranh giới.']
        """
        tolerance = _amount(self.tolerance_m, "m")
        if self.gaps:  # never "100%" while a gap is reported
            share = Figure(fmt.number, 100 * min(self.coverage, 0.999), 1, trim=True)
            uncovered = _amount(max(self.ward_area_m2 - self.covered_m2, 0.0))
            lines = [Message(N_("Các khu phố phủ %(share)s%% diện tích phường (còn %(uncovered)s "
                                "chưa thuộc khu phố nào)."), share=share, uncovered=uncovered)]
        else:
            lines = [Message(N_("Các khu phố phủ kín diện tích phường."))]
        if self.outside_m2:
            lines.append(Message(N_("Có %(area)s diện tích khu phố nằm ngoài ranh giới phường."),
                                 area=_amount(self.outside_m2)))
        for o in self.refused_overlaps:
            lines.append(Message(N_("Chồng lấn %(first)s – %(second)s: %(area)s (dày khoảng "
                                    "%(thick)s) tại %(place)s — vượt dung sai %(tolerance)s, "
                                    "phải sửa ranh giới."),
                                 first=o.codes[0], second=o.codes[1], area=_amount(o.area_m2),
                                 thick=_amount(o.width_m, "m"), place=_place(o.where),
                                 tolerance=tolerance))
        for g in (g for g in self.gaps if not g.sliver):
            lines.append(Message(N_("%(gap)s: %(area)s (rộng khoảng %(wide)s) tại %(place)s — "
                                    "vượt dung sai %(tolerance)s, phải sửa ranh giới."),
                                 gap=_gap_label(g), area=_amount(g.area_m2),
                                 wide=_amount(g.width_m, "m"), place=_place(g.where),
                                 tolerance=tolerance))
        if slivers := self.slivers:
            lines.append(Message(N_("%(n)s khe/chồng lấn nhỏ (mỏng hơn %(tolerance)s, tổng "
                                    "%(total)s) có thể khớp tự động."), n=len(slivers),
                                 tolerance=tolerance,
                                 total=_amount(sum(s.area_m2 for s in slivers))))
        if not self.overlaps and not self.gaps:
            lines.append(Message(N_("Không có chồng lấn hay khe hở giữa các khu phố.")))
        return lines


def _gap_label(gap: Gap) -> Message:
    names = ", ".join(gap.neighbours)
    if gap.at_edge:
        return Message(N_("Khe hở ở rìa phường cạnh %(names)s"), names=names) if names \
            else Message(N_("Khe hở ở rìa phường"))
    if len(gap.neighbours) == 1:
        return Message(N_("Lỗ hổng trong %(names)s"), names=names)
    return Message(N_("Khe hở giữa %(names)s"), names=names) if names \
        else Message(N_("Vùng chưa thuộc khu phố nào"))


def _amount(value: float, unit: str = "m²") -> Figure:
    """An area or a length, written in the reader's locale where the message is said."""
    return Figure(_written_amount, value, unit)


def _written_amount(value: float, unit: str, *, locale: str = fmt.LOCALE) -> str:
    return f"{fmt.number(value, 0 if value >= 10 else 1, trim=True, locale=locale)} {unit}"


def _place(lonlat: tuple[float, float]) -> str:
    # Latitude first with decimal points, as map apps take it when pasted (≈ 1 m at 5 places).
    return f"{fmt.coordinate(lonlat[1], 5)}, {fmt.coordinate(lonlat[0], 5)}"
