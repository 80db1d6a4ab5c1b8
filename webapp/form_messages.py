"""WTForms' own messages in Vietnamese: a small reverse catalogue (WTForms' source language
is English and it ships no Vietnamese), so a bad choice never answers in English on a
Vietnamese page. ``webapp.forms`` reads it.
"""

from __future__ import annotations

MESSAGES = {
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Not a valid choice": "Lựa chọn không hợp lệ.",
    "This field is required.": "Trường này bắt buộc.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị không hợp lệ, chỉ nhận: %(values)s.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Phải dài từ %(min)d đến %(max)d ký tự.",
    "Field must be at least %(min)d character long.": "Phải dài ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Phải dài ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be equal to %(other_name)s.": "Phải giống trường %(other_name)s.",
    "Not a valid integer value.": "Không phải số nguyên.",
    "Not a valid decimal value.": "Không phải số.",
    "Not a valid float value.": "Không phải số.",
    "Not a valid date value.": "Không phải ngày hợp lệ.",
    "The CSRF token is missing.": "Biểu mẫu thiếu mã bảo vệ (CSRF): tải lại trang.",
    "The CSRF token is invalid.": "Biểu mẫu hết hạn (CSRF): tải lại trang.",
    "The CSRF token has expired.": "Biểu mẫu hết hạn (CSRF): tải lại trang.",
    "The CSRF session token is missing.": "Phiên làm việc hết hạn: tải lại trang.",
    "The CSRF tokens do not match.": "Biểu mẫu không khớp phiên làm việc: tải lại trang.",
}
