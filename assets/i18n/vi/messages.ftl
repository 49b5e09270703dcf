# Errors of the domain as the officer and the citizen read them: citizen
# inputs (CCCD number, phone, tax code, the card's QR), receipts, printers.
# Arguments are text; a character the officer typed is shown in «».

## The fields of a CCCD card's QR
qr-field-id = số CCCD
qr-field-old-id = số CMND cũ
qr-field-name = họ và tên
qr-field-birth = ngày sinh
qr-field-gender = giới tính
qr-field-address = nơi thường trú
qr-field-issued = ngày cấp

## Reading the QR of either card generation by the shape of its fields
qr-card-chip-cccd = thẻ CCCD gắn chip
qr-card-can-cuoc = thẻ căn cước
qr-card-unknown = thẻ chưa rõ loại
qr-shape-digits = { $count } chữ số
qr-shape-date = ngày tháng
qr-shape-future-date = ngày sau hôm nay
qr-shape-text = chữ
qr-unrecognised = trường { $position } ({ $shape }): «{ $preview }»

## Citizen inputs
citizen-cccd-empty = Chưa nhập số CCCD
citizen-cccd-not-digit = Số CCCD chỉ gồm chữ số: ký tự thứ { $position } là «{ $found }»
citizen-cccd-length = Số CCCD phải có 12 chữ số (đang có { $found })
citizen-cccd-unknown-province = Số CCCD: mã tỉnh «{ $code }» không tồn tại
citizen-cccd-century-mismatch = Chữ số thứ 4 của số CCCD là { $digit }, ứng với năm sinh { $from }–{ $to }, không khớp với ngày sinh
citizen-cccd-year-mismatch = Chữ số thứ 5 và 6 của số CCCD phải là hai số cuối của năm sinh
citizen-phone-empty = Chưa nhập số điện thoại
citizen-phone-invalid-char = Số điện thoại chỉ gồm chữ số: có ký tự «{ $found }»
citizen-phone-country-code = Chỉ nhận số điện thoại Việt Nam (+84)
citizen-phone-length-international = Sau +84 phải có { $expected } chữ số (đang có { $found })
citizen-phone-length = Số điện thoại phải có { $expected } chữ số (đang có { $found })
citizen-phone-leading-zero = Số điện thoại phải bắt đầu bằng số 0
citizen-phone-international-prefix = Số điện thoại không được bắt đầu bằng 00
citizen-tax-code-empty = Chưa nhập mã số thuế
citizen-tax-code-invalid-char = Mã số thuế chỉ gồm chữ số (và dấu «-» sau chữ số thứ 10): ký tự thứ { $position } là «{ $found }»
citizen-tax-code-length = Mã số thuế phải có 10 chữ số, hoặc 10 chữ số, dấu «-» và 3 chữ số (đang có { $found })
citizen-tax-code-branch-length = Phần sau dấu «-» của mã số thuế phải có 3 chữ số (đang có { $found })
citizen-tax-code-branch-zero = Phần sau dấu «-» của mã số thuế phải từ 001 đến 999
citizen-qr-not-utf8 = Mã QR đọc được không đúng bảng mã (UTF-8): kiểm tra cài đặt máy quét
citizen-qr-empty = Mã QR trống
citizen-qr-field-count = Mã QR trên thẻ CCCD phải có 7 trường (hoặc 6 ở thẻ cũ), đọc được { $found }
citizen-qr-empty-field = Mã QR thiếu { $field }
citizen-qr-control-char = Mã QR: { $field } có ký tự điều khiển lạ
citizen-qr-id = Mã QR: { $reason }
citizen-qr-old-id = Mã QR: số CMND cũ phải có 9 hoặc 12 chữ số
citizen-qr-name-digit = Mã QR: họ và tên có chữ số, các trường có thể bị lệch
citizen-qr-date-format = Mã QR: { $field } phải viết dạng ngàythángnăm (8 chữ số)
citizen-qr-date-invalid = Mã QR: { $field } không phải ngày có thật
citizen-qr-gender = Mã QR: giới tính phải là «Nam» hoặc «Nữ»
citizen-qr-gender-mismatch = Mã QR ghi giới tính { $qr } nhưng số CCCD ứng với giới tính { $id }
citizen-qr-birth-in-future = Mã QR: ngày sinh sau ngày hôm nay
citizen-qr-issued-before-birth = Mã QR: ngày cấp trước ngày sinh
citizen-qr-issued-in-future = Mã QR: ngày cấp sau ngày hôm nay
citizen-qr-nothing-recognised = Mã QR: không trường nào (trong { $fields } trường) đọc được thành số định danh, ngày, giới tính, họ tên hay địa chỉ

## Receipts read back at the counter
receipt-error-malformed = Không phải giấy biên nhận của hệ thống
receipt-error-unknown-version = Mẫu biên nhận phiên bản { $version } chưa được hỗ trợ
receipt-error-damaged = Mã QR bị hỏng hoặc đọc sai
receipt-error-unknown-key = Không có khóa công khai của cơ quan { $office }
receipt-error-bad-signature = Chữ ký không khớp: biên nhận bị sửa hoặc giả mạo
receipt-error-too-long = Dữ liệu quá dài cho biên nhận
receipt-error-sample = Đây là biên nhận MẪU để thử máy in, không phải biên nhận thật
receipt-error-retired-key = Khóa ký { $key_id } của cơ quan { $office } đã ngừng sử dụng từ { $retired }; biên nhận ghi thời điểm ký { $signed }, sau thời điểm đó: biên nhận không hợp lệ
receipt-key-retired-after = Khóa ký { $key_id } đã ngừng sử dụng từ { $retired }, sau khi ký biên nhận này

## Printers: the screen says what to do; where and why goes to the log
print-error-no-device = Không tìm thấy máy in. Kiểm tra dây cáp và nguồn điện.
print-error-cover-open = Nắp máy in đang mở. Đóng nắp rồi in lại.
print-error-paper-out = Máy in hết giấy. Thay cuộn giấy rồi in lại.
print-error-offline = Máy in đang lỗi hoặc tạm ngừng. Kiểm tra máy in rồi in lại.
print-error-no-answer = Máy in không trả lời. Kiểm tra máy in đã bật và nối cáp, rồi in lại.
print-error-io = In không thành công: { $reason }

## The legal receipt's own words (printed in Vietnamese whatever the screen's language)
receipt-form-same-day = Trong ngày làm việc
receipt-form-working-days = { $days } ngày làm việc
receipt-form-register = Vào sổ theo dõi hồ sơ: mã { $code }
receipt-form-no-fee = Không thu phí, lệ phí
receipt-form-fee-waived = miễn
receipt-form-amount = { $amount } đồng

## Thu phí bằng VietQR
vietqr-no-account = Thủ tục có phí nhưng chưa cấu hình tài khoản nhận tiền cho VietQR: điền `[payment] account` (cùng bank_bin và account_name) trong tệp cấu hình
vietqr-bank-bin = Mã BIN ngân hàng (`[payment] bank_bin`) phải có đúng 6 chữ số
vietqr-account = Số tài khoản (`[payment] account`) phải có từ 1 đến 19 chữ cái hoặc chữ số, không có dấu cách hay ký hiệu
vietqr-amount = Số tiền phí phải từ 1 đến 9.999.999.999.999 đồng, không phải { $found }
vietqr-purpose-empty = Mã hồ sơ trống: nội dung chuyển khoản (VietQR 62/08) cần mã hồ sơ
vietqr-purpose-char = Nội dung chuyển khoản (VietQR 62/08) chỉ được có chữ cái A–Z không dấu, chữ số và dấu cách: ký tự thứ { $position } là { $found_quoted }
vietqr-purpose-length = Nội dung chuyển khoản (VietQR 62/08: mã hồ sơ bỏ dấu chấm và gạch ngang) dài { $found } ký tự; tối đa { $max } ký tự
vietqr-field-length = Trường VietQR { $tag } sẽ dài { $found } ký tự; mỗi trường chỉ từ 1 đến 99 ký tự
