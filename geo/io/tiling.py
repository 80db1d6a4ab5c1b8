"""Khu phố as a set in an import: overlaps refused, slivers snapped on request, gaps and
coverage reported (``geo.topology``), and a declared area column checked against the
boundaries. Works on ``geo.io.results.ImportCheck`` in place."""

from __future__ import annotations

from geo import formatting as fmt
from geo import topology
from geo.crs import to_metric
from geo.i18n import N_, Figure, Message
from geo.io.read import RawFile
from geo.io.results import ImportCheck, RowError
from geo.io.values import cell, number


def check_tiling(check: ImportCheck, raw: RawFile, mapping: dict[str, str], ward_boundary,
                  metric_epsg: int, tolerance_m: float, snap: bool) -> None:
    """Khu phố as a set: overlaps beyond the tolerance refused (both rows named), slivers
    snapped if asked, gaps and coverage reported; the declared area compared if given."""
    report = topology.check_topology(check.clean, ward_boundary, metric_epsg,
                                     tolerance_m=tolerance_m)
    if snap and report.slivers:
        check.clean = topology.snap_slivers(check.clean, ward_boundary, metric_epsg,
                                            tolerance_m=tolerance_m)
        check.notes.append(Message(N_("Đã khớp %(n)s khe hở/chồng lấn mỏng hơn %(tolerance)s m."),
                                   n=len(report.slivers), tolerance=f"{tolerance_m:g}"))
        report = topology.check_topology(check.clean, ward_boundary, metric_epsg,
                                         tolerance_m=tolerance_m)
    elif report.slivers:
        check.notes.append(Message(N_("Có %(n)s khe hở/chồng lấn mỏng hơn %(tolerance)s m: chọn "
                                      "“khớp khe hở nhỏ” (--snap) để sửa khi nhập, hoặc nhập "
                                      "nguyên như tệp."),
                                   n=len(report.slivers),
                                   tolerance=Figure(fmt.number, tolerance_m, 2, trim=True)))
    for overlap in report.refused_overlaps:
        where = ", ".join(fmt.coordinate(overlap.where[i], 5) for i in (1, 0))  # lat, lon
        for row, other, code in ((overlap.rows[0], overlap.rows[1], overlap.codes[1]),
                                 (overlap.rows[1], overlap.rows[0], overlap.codes[0])):
            check.errors.append(RowError(row, Message(N_("ranh giới")), Message(
                N_("Chồng lấn với dòng %(other)s (%(code)s): %(area)s m², dày khoảng %(width)s "
                   "m, tại %(where)s — vượt dung sai %(tolerance)s m: sửa ranh giới."),
                other=other, code=code, area=Figure(fmt.integer, overlap.area_m2),
                width=Figure(fmt.integer, overlap.width_m), where=where,
                tolerance=Figure(fmt.number, tolerance_m, 2, trim=True))))
    check.errors.sort(key=lambda e: (e.row, e.field))
    check.topology = report
    check.summary = report.lines() + area_notes(check, raw, mapping, metric_epsg)


def area_notes(check: ImportCheck, raw: RawFile, mapping: dict[str, str],
                metric_epsg: int) -> list[str]:
    """A declared area column (``DIEN_TICH``) against the area the boundary has: a mismatch
    usually means a wrong CRS. The unit (m², ha, km²) is the one that fits best."""
    column = mapping.get("declared_area")
    if not column:
        return []
    computed = to_metric(check.clean, metric_epsg).area
    declared = raw.frame[column].map(lambda v: number(cell(v))).reindex(computed.index)
    usable = declared.map(lambda v: isinstance(v, int | float) and v > 0)
    if not usable.any():
        return []
    ratios = computed[usable] / declared[usable].astype(float)
    unit, factor = min((("m²", 1.0), ("ha", 1e4), ("km²", 1e6)),
                       key=lambda u: abs(float((ratios / u[1]).median()) - 1))
    off = ((ratios / factor - 1).abs() > 0.1)
    if not off.any():
        return [Message(N_("Diện tích ghi trong tệp (cột %(column)s, đơn vị %(unit)s) khớp với "
                           "ranh giới."), column=column, unit=unit)]
    rows = ", ".join(str(r) for r in off[off].index[:10])
    return [Message(N_("Diện tích tính từ ranh giới khác diện tích ghi trong tệp (cột "
                       "%(column)s) quá 10%% ở %(n)s dòng (%(rows)s): kiểm tra hệ tọa độ hoặc "
                       "ranh giới."), column=column, n=int(off.sum()), rows=rows)]


