# Chuỗi giao diện motcua — tiếng Việt (ngôn ngữ mặc định).
# Mỗi khóa ở đây phải có trong en/motcua.ftl; kiểm thử sẽ báo nếu thiếu.

## Chung
app-title = Bộ phận Một cửa
demo-badge = Dữ liệu minh họa
back = Quay lại
home = Trang đầu
lang-switch = Ngôn ngữ
lang-vi = Tiếng Việt
lang-en = English
date-line = { $weekday }, { $date }
weekday-1 = Thứ Hai
weekday-2 = Thứ Ba
weekday-3 = Thứ Tư
weekday-4 = Thứ Năm
weekday-5 = Thứ Sáu
weekday-6 = Thứ Bảy
weekday-7 = Chủ Nhật
retry = Thử lại

## Kết nối với hệ thống trung tâm
sync-online = Đã kết nối
sync-sending = Đang gửi { $count } bản ghi
sync-offline = Ngoại tuyến từ { $time } · { $count } chờ gửi

## Màn hình chào
welcome-greeting = Kính chào quý khách
welcome-prompt = Quý khách cần làm gì hôm nay? Chạm vào một ô bên dưới.
action-ticket = Lấy số thứ tự
action-ticket-hint = Nhận số và chờ đến lượt tại quầy
action-procedures = Thủ tục hành chính
action-procedures-hint = Hồ sơ cần mang, lệ phí, thời hạn giải quyết
action-lookup = Tra cứu hồ sơ
action-lookup-hint = Xem hồ sơ đã nộp đang ở đâu
action-rate = Đánh giá
action-rate-hint = Góp ý về sự phục vụ của chúng tôi
notice-branding = Tệp { $file } có lỗi nên đang dùng bản mặc định. Cán bộ kỹ thuật xem nhật ký để sửa.

## Chọn nhóm dịch vụ
groups-title = Chọn dịch vụ cần làm
groups-prompt = Mỗi nhóm có một hàng chờ riêng. Chưa rõ nhóm nào? Hãy tìm theo thủ tục.
groups-waiting = { $count ->
    [0] Không có ai đang chờ
   *[other] { $count } người đang chờ
}
groups-find-procedure = Tìm theo thủ tục

## Lĩnh vực và thủ tục
fields-title = Chọn lĩnh vực
fields-prompt = Hoặc tìm nhanh theo tên thủ tục.
fields-count = { $count } thủ tục
search-open = Tìm thủ tục
procedures-count = { $count } thủ tục trong lĩnh vực này
processing-days = { $days ->
    [0] Giải quyết trong ngày
   *[other] { $days } ngày làm việc
}

## Tìm kiếm
search-title = Tìm thủ tục
search-placeholder = Gõ tên thủ tục, có dấu hay không dấu đều được
search-results = { $count } kết quả
search-none = Không tìm thấy thủ tục phù hợp. Hãy thử từ khác, hoặc chọn theo lĩnh vực.
search-more = Còn { $count } kết quả nữa, hãy gõ thêm chữ để thu hẹp.
key-space = Dấu cách
key-backspace = Xóa
key-clear = Xóa hết
key-tone-sac = Dấu sắc
key-tone-huyen = Dấu huyền
key-tone-hoi = Dấu hỏi
key-tone-nga = Dấu ngã
key-tone-nang = Dấu nặng
key-tone-ngang = Bỏ dấu

## Chi tiết thủ tục
detail-code = Mã thủ tục
detail-field = Lĩnh vực
detail-level = Cấp thực hiện
level-commune = Cấp xã, phường
level-district = Cấp huyện (cũ)
level-province = Cấp tỉnh, thành phố
detail-time = Thời hạn giải quyết
detail-fees = Phí, lệ phí
fee-free = Miễn phí
fee-amount = { $amount } đồng
fee-online = Nộp trực tuyến: { $amount } (ít hơn { $saving } đồng)
detail-documents = Hồ sơ cần mang
doc-originals = { $count } bản chính
doc-copies = { $count } bản sao
detail-result = Kết quả nhận được
detail-agency = Cơ quan giải quyết
detail-interlinked = Thủ tục liên thông giữa nhiều cơ quan
detail-group = Phục vụ tại nhóm { $letter }: { $name }
detail-take-ticket = Lấy số cho thủ tục này
detail-demo-note = Thông tin minh họa. Vui lòng hỏi cán bộ để được hướng dẫn chính xác.

## Chọn lượt
lane-title = Quý khách thuộc diện nào?
lane-for = Nhóm { $letter }: { $name }
lane-normal = Lượt thường
lane-normal-hint = Dành cho mọi công dân
lane-priority = Lượt ưu tiên
lane-priority-hint = Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công với cách mạng
lane-issuing = Đang cấp số, xin chờ trong giây lát…

## Số thứ tự
ticket-title = Số thứ tự của quý khách
ticket-priority = Lượt ưu tiên
ticket-group = Nhóm { $letter }: { $name }
ticket-procedure = Thủ tục: { $name }
ticket-time = Lấy lúc { $time } ngày { $date }
ticket-ahead = { $count ->
    [0] Quý khách sẽ được gọi tiếp theo
   *[other] Còn { $count } người trước quý khách
}
ticket-wait-hint = Xin vui lòng chú ý màn hình và loa gọi số.
ticket-qr-hint = Mã tham chiếu của số thứ tự
ticket-print = In số
ticket-printing = Đang in…
ticket-printed = Đã in. Xin mời nhận phiếu.
ticket-print-failed = Chưa in được: { $reason }
ticket-done = Xong
ticket-error = Chưa cấp được số thứ tự. Xin thử lại, hoặc nhờ cán bộ hướng dẫn.

## Hết thời gian chờ
idle-title = Quý khách còn dùng máy không?
idle-countdown = Màn hình sẽ trở về trang đầu sau { $seconds } giây.
idle-continue = Tiếp tục

## Đánh giá
rate-title = Quý khách có hài lòng với sự phục vụ hôm nay?
rate-satisfied = Hài lòng
rate-neutral = Bình thường
rate-unsatisfied = Không hài lòng
rate-thanks = Cảm ơn quý khách đã đánh giá!
rate-error = Chưa lưu được đánh giá. Xin thử lại.
rate-ticket = Lượt phục vụ số { $ticket }
rate-your-answer = Quý khách đã chọn:
rate-details-title = Quý khách muốn góp ý về điều gì?
rate-details-hint = Không bắt buộc: chạm để chọn, rồi bấm Gửi đánh giá.
rate-criterion-staff = Thái độ cán bộ
rate-criterion-time = Thời gian giải quyết
rate-criterion-transparency = Công khai, minh bạch
rate-criterion-facilities = Cơ sở vật chất
rate-comment-empty = Chưa có góp ý.
rate-comment-open = Viết góp ý
rate-comment-title = Góp ý của quý khách
rate-comment-left = Còn { $left } ký tự
rate-comment-done = Xong
rate-send = Gửi đánh giá
rate-sending = Đang gửi…
rate-skip = Bỏ qua
display-greeting = Xin kính chào quý khách
display-counter = Quầy số { $counter }
display-serving = Đang phục vụ số
display-hint = Khi xong việc, xin quý khách cho biết mức độ hài lòng ngay trên màn hình này.

## Tra cứu

## Sự cố (màn hình dành cho cán bộ kỹ thuật)
fault-title = Máy tạm ngừng phục vụ
fault-citizen = Xin lỗi quý khách. Xin mời lấy số hoặc hỏi tại quầy hướng dẫn.
fault-it = Dành cho cán bộ kỹ thuật
fault-db-corrupt = Tệp cơ sở dữ liệu bị hỏng hoặc không phải của motcua: { $path }. Chuyển tệp sang chỗ khác để giữ lại rồi khởi động lại; máy sẽ tạo tệp mới. Không xóa tệp trước khi sao lưu.
fault-db-readonly = Không ghi được vào thư mục dữ liệu { $path }. Kiểm tra quyền ghi của người dùng chạy motcua và dung lượng đĩa, rồi khởi động lại.
fault-db-datadir = Không dùng được thư mục dữ liệu { $path }: { $reason }. Kiểm tra đường dẫn trong cấu hình hoặc tham số --data-dir.
fault-db-too-new = Cơ sở dữ liệu { $path } do phiên bản motcua mới hơn tạo ra. Cài lại phiên bản mới nhất.
fault-db-full = Ổ đĩa chứa { $path } đã đầy: không lưu thêm được gì. Giải phóng dung lượng (biên nhận, nhật ký cũ), rồi khởi động lại.
fault-db-other = Lỗi cơ sở dữ liệu ở { $path }: { $reason }
fault-catalog-invalid = Danh mục thủ tục { $path } có { $count } lỗi. Kiểm tra bằng lệnh: motcua catalog check { $path }
fault-catalog-unreadable = Không đọc được danh mục thủ tục { $path }: { $reason }
fault-central = Không kết nối được với hệ thống trung tâm: { $reason }
fault-config = Tệp cấu hình { $path } không hợp lệ: { $reason }

## Quầy tiếp nhận (cán bộ)
counter-title = Quầy số { $number }
counter-groups = Phục vụ nhóm { $groups }
counter-officer = Cán bộ: { $name }
signin-title = Đăng nhập quầy tiếp nhận
signin-id = Mã cán bộ
signin-pin = Mã PIN
signin-submit = Đăng nhập
signin-refused = Mã cán bộ hoặc mã PIN không đúng. Còn { $tries } lần thử.
signin-locked = Đã khóa do nhập sai nhiều lần. Thử lại sau { $time }.
signin-demo = Dữ liệu minh họa: cán bộ CB01, mã PIN 123456
signout = Đăng xuất
queue-current = Đang phục vụ
queue-none = Chưa gọi số nào
queue-call = Gọi số tiếp
queue-recall = Gọi lại
queue-skip = Vắng mặt
queue-complete = Hoàn thành
queue-transfer = Sang nhóm
queue-call-number = Gọi số khác
queue-transfer-counter = Sang quầy
queue-waiting-line = Nhóm { $group }: { $normal } thường, { $priority } ưu tiên
queue-waiting = Đang chờ
queue-empty = Không còn ai chờ
queue-error = Không thực hiện được: { $reason }
queue-unreachable = Không kết nối được máy chủ trung tâm: chưa thực hiện được, xin thử lại
queue-refused = Máy chủ trung tâm không chấp nhận: { $reason }
tab-intake = Tiếp nhận hồ sơ
tab-verify = Quét biên nhận
intake-procedure = Thủ tục
intake-scan = Quét mã QR trên thẻ để điền sẵn
intake-scan-sides = CCCD gắn chip: mã QR ở mặt trước · Thẻ căn cước (từ 01/7/2024): mã QR ở mặt sau
intake-check = · kiểm tra lại
intake-confirm = Đúng
intake-name = Họ và tên người nộp
intake-id = Số định danh cá nhân (số CCCD) hoặc mã số thuế
intake-birth = Ngày sinh (ngày/tháng/năm)
intake-phone = Số điện thoại
intake-email = Thư điện tử (không bắt buộc)
intake-address = Địa chỉ
intake-by-proxy = Nộp hồ sơ theo ủy quyền (thay cho người khác)
intake-principal-name = Họ và tên người ủy quyền
intake-principal-id = Số định danh cá nhân/mã số tổ chức của người ủy quyền
intake-principal-phone = Số điện thoại người ủy quyền
intake-principal-address = Địa chỉ người ủy quyền
intake-authorisation = Văn bản ủy quyền (số, ngày)
intake-principal-problem = Người ủy quyền: { $reason }
intake-delivery = Nhận kết quả tại
intake-deliver-counter = Tại quầy
intake-deliver-post = Bưu chính công ích
intake-post-address = Địa chỉ nhận kết quả qua bưu chính
intake-refusal-reason = Lý do từ chối tiếp nhận
intake-refuse = Từ chối, in phiếu
intake-documents = Thành phần hồ sơ đã nhận
intake-sets = Số bộ hồ sơ
intake-notes = Ghi chú
intake-appointment = Hẹn trả kết quả: { $date }
intake-calendar-unknown = Lịch ngày nghỉ chưa có năm { $year }: kiểm tra lại ngày hẹn.
intake-submit = Tiếp nhận và in biên nhận
intake-saving = Đang lưu hồ sơ…
intake-scanned = Đã điền theo { $card }. Đối chiếu với giấy tờ gốc.
intake-scanned-unknown = Đã điền theo mã QR trên thẻ (chưa rõ loại thẻ). Đối chiếu với giấy tờ gốc.
intake-scan-guessed = Đoán theo dạng, ghi «kiểm tra lại»: { $fields }. Đối chiếu với thẻ rồi sửa hoặc bấm «Đúng».
intake-scan-unrecognised = Không nhận ra trên mã QR (đọc trên thẻ, gõ vào nếu cần):
intake-unconfirmed = { $field }: chưa đối chiếu với thẻ
intake-scan-failed = Không đọc được mã trên thẻ: { $reason }
intake-choose-procedure = Chọn thủ tục trước khi tiếp nhận
intake-no-documents = Đánh dấu ít nhất một giấy tờ đã nhận
intake-required = { $field }: chưa điền
intake-invalid-date = Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 15/03/1999
intake-invalid-email = Thư điện tử không hợp lệ
intake-invalid-sets = Số bộ hồ sơ phải từ 1 đến 20
intake-failed = Chưa tiếp nhận được hồ sơ: { $reason }
receipt-done = Đã tiếp nhận hồ sơ { $code }
receipt-appointment = Hẹn trả kết quả ngày { $date }
receipt-print = In biên nhận
form-title = In phiếu
form-control = Phiếu kiểm soát
form-supplement = Yêu cầu bổ sung
form-stop = Dừng giải quyết
form-apology = Xin lỗi, hẹn lại
form-missing = Giấy tờ còn thiếu
form-other = Nội dung khác cần bổ sung (nếu có)
form-new-due = Ngày hẹn trả mới (ngày/tháng/năm)
form-reason = Lý do
form-print = In phiếu (A4)
form-saved = Đã lưu phiếu { $file }
form-failed = Chưa in được phiếu: { $reason }
form-need-missing = Chọn ít nhất một giấy tờ còn thiếu, hoặc ghi nội dung cần bổ sung
form-need-reason = Ghi lý do
form-need-date = Ngày hẹn mới phải có dạng ngày/tháng/năm và sau ngày hẹn cũ
fee-paid-vietqr = Đã nộp qua VietQR
fee-paid-cash = Đã thu tiền mặt
fee-requested = Chưa nộp phí
fee-recorded = Đã ghi phí, lệ phí: { $way }
fee-record-failed = Chưa ghi được phí, lệ phí: { $reason }
receipt-fee-no-qr = Chưa có mã VietQR để nộp phí: { $reason }. Thu phí tại quầy.
receipt-printed = Đã in biên nhận và lưu bản A4 (PDF)
receipt-print-failed = Chưa in được biên nhận: { $reason }
receipt-new = Hồ sơ mới
verify-input = Quét mã QR trên giấy biên nhận
verify-valid = Biên nhận hợp lệ
verify-invalid = Biên nhận không hợp lệ: { $reason }
verify-code = Mã hồ sơ: { $code }
verify-received = Tiếp nhận lúc { $time }
verify-history = Quá trình xử lý
verify-return = Trả kết quả cho công dân
verify-returned = Đã ghi nhận trả kết quả
status-1 = Mới đăng ký
status-2 = Đã tiếp nhận
status-3 = Không được tiếp nhận
status-4 = Đang xử lý
status-5 = Cần bổ sung hồ sơ
status-6 = Chờ nộp phí, lệ phí
status-7 = Công dân đã rút hồ sơ
status-8 = Dừng xử lý
status-9 = Đã có kết quả, chờ trả
status-10 = Đã trả kết quả

## Tra cứu hồ sơ
lookup-title = Tra cứu hồ sơ
lookup-how = Đưa mã QR trên giấy biên nhận vào máy quét, hoặc nhập mã hồ sơ và mã tra cứu in trên biên nhận.
lookup-scan-hint = Mã QR trên biên nhận
lookup-code = Mã hồ sơ
lookup-secret = Mã tra cứu
lookup-go = Tra cứu
lookup-busy = Đang tra cứu…
lookup-dossier = Hồ sơ { $code }
lookup-not-found = Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Xin kiểm tra lại trên giấy biên nhận.
lookup-offline = Chưa kết nối được hệ thống để tra cứu. Xin thử lại sau ít phút, hoặc hỏi cán bộ tại quầy.
lookup-not-receipt = Mã vừa quét không phải giấy biên nhận hồ sơ. Xin quét mã QR trên giấy biên nhận.
lookup-not-a-code = Mã hồ sơ chưa đúng dạng: mã cơ quan, ngày nhận (6 chữ số) và số thứ tự, ví dụ H26.22.15-261128-0001. Xin kiểm tra lại trên giấy biên nhận.
lookup-status-1 = Hồ sơ mới được đăng ký.
lookup-status-2 = Hồ sơ đã được tiếp nhận và đang chờ xử lý.
lookup-status-3 = Hồ sơ không được tiếp nhận. Xin liên hệ quầy để biết lý do.
lookup-status-4 = Hồ sơ đang được xử lý.
lookup-status-5 = Hồ sơ cần bổ sung giấy tờ. Xin liên hệ quầy tiếp nhận.
lookup-status-6 = Xin quý khách nộp phí, lệ phí để tiếp tục xử lý.
lookup-status-7 = Hồ sơ đã được rút theo yêu cầu của quý khách.
lookup-status-8 = Hồ sơ đã dừng xử lý. Xin liên hệ quầy để biết lý do.
lookup-status-9 = Hồ sơ đã có kết quả. Xin mời quý khách đến quầy nhận.
lookup-status-10 = Quý khách đã nhận kết quả.

## Bảng gọi số
board-now = Xin mời khách hàng số
board-to-counter = đến quầy
board-counter = Quầy { $counter }
board-none = Chưa có số nào được gọi
board-earlier = Vừa gọi
board-waiting = Đang chờ
board-offline = Đang kết nối lại với hệ thống…

## Admin exit (IT staff)
admin-title = Quản trị thiết bị
admin-hint = Nhập mã PIN quản trị để đóng ứng dụng. Quý khách xin bấm "Trang đầu".
admin-pin-empty = Chưa nhập mã PIN
admin-wrong = { $tries ->
    [0] Mã PIN không đúng.
   *[other] Mã PIN không đúng. Nhập sai thêm { $tries } lần nữa, màn hình sẽ bị khóa.
}
admin-locked = Nhập sai mã PIN quá nhiều lần. Vui lòng thử lại sau { $minutes } phút.
admin-exit = Đóng ứng dụng

## Trợ năng: chữ lớn, tương phản cao, đọc to, bàn phím số
access-text = Cỡ chữ { $size }
access-contrast = Tương phản cao
speech-on = Đọc to
speech-off = Tắt đọc
speak-welcome = Có bốn việc: lấy số thứ tự, xem thủ tục hành chính, tra cứu hồ sơ, đánh giá. Dùng phím mũi tên để chọn, phím Enter để xác nhận, phím 5 để nghe lại.
speak-detail = Giấy tờ cần mang, lệ phí và thời hạn có trên màn hình. Chọn lấy số cho thủ tục này, hoặc quay lại.
speak-online-cheaper = Nộp hồ sơ trực tuyến tốn ít phí hơn; cán bộ tại quầy có thể hướng dẫn.
speak-lane = Chọn hàng thường, hoặc hàng ưu tiên cho người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công với cách mạng.
speak-ticket = Số của quý khách là { $number }
speak-chosen = đã chọn
speak-rate = Chọn một trong ba mặt: hài lòng, bình thường, hoặc không hài lòng.
speak-private = Đang nhập mã, chỉ đọc qua tai nghe.

## Đánh giá hồ sơ (các tiêu chí của hệ thống đánh giá quốc gia)
eval-open = Đánh giá hồ sơ này
eval-title = Đánh giá việc giải quyết hồ sơ
eval-progress = Câu { $n } / { $total }
eval-how = Mỗi lần một câu hỏi. Chạm vào câu trả lời; có thể bỏ qua câu không muốn trả lời.
eval-skip = Bỏ qua câu này
eval-finish = Gửi và kết thúc
eval-sending = Đang gửi…
eval-error = Chưa lưu được đánh giá. Xin thử lại.
eval-thanks = Cảm ơn quý khách đã đánh giá hồ sơ!
eval-thanks-hint = Đánh giá được gửi về hệ thống đánh giá của Nhà nước, không kèm thông tin cá nhân.
eval-at-intake = Hồ sơ vừa được tiếp nhận. Xin quý khách cho biết đánh giá.
eval-at-return = Quý khách vừa nhận kết quả. Xin quý khách cho biết đánh giá.
eval-level-very_satisfied = Rất hài lòng
eval-level-satisfied = Hài lòng
eval-level-neutral = Bình thường
eval-level-unsatisfied = Không hài lòng
eval-count-1 = 1 lần
eval-count-2 = 2 lần
eval-count-3 = 3 lần
eval-count-4 = Từ 4 lần trở lên
eval-agencies-1 = 1 cơ quan
eval-agencies-2 = 2 cơ quan
eval-agencies-3 = 3 cơ quan
eval-agencies-4 = Từ 4 cơ quan trở lên
eval-q-overall = Nhìn chung, quý khách có hài lòng với việc giải quyết hồ sơ này?
eval-q-convenience = Việc thực hiện thủ tục có thuận tiện không?
eval-q-on_time = Hồ sơ có được tiếp nhận, giải quyết và trả kết quả đúng hẹn không?
eval-q-staff = Thái độ, tác phong của cán bộ, công chức?
eval-q-legal_time = Thời gian giải quyết so với thời hạn theo quy định?
eval-q-actual_time = Thời gian giải quyết thực tế so với thời gian quy định?
eval-q-contacts = Quý khách phải liên hệ mấy lần để hoàn thiện hồ sơ?
eval-q-agencies = Quý khách phải liên hệ với mấy cơ quan, đơn vị?
eval-q-one_stop = Việc tiếp nhận và trả kết quả tại Bộ phận Một cửa?
eval-q-publicity = Việc công khai thủ tục hành chính?
eval-q-feedback = Việc tiếp nhận, xử lý phản ánh, kiến nghị?
eval-q-online = Tiến độ, chất lượng dịch vụ công trực tuyến?

## Digitising at intake (scan desk)
scan-open = Quét
scan-again = Quét lại
scan-edit = Xem, sửa bản quét
scan-discard = Bỏ bản quét
scan-digitised = Đã số hóa: { $pages } trang, { $size } MB
scan-not-digitised = Chưa số hóa
scan-title = Số hóa: { $item }
scan-result-title = Kết quả giải quyết
scan-source-flatbed = Mặt kính
scan-source-feeder = Khay nạp giấy
scan-source-duplex = Khay nạp, hai mặt
scan-mode-grey = Xám
scan-mode-colour = Màu
scan-start = Quét trang
scan-scanning = Đang quét… { $count } trang đã nhận
scan-cancel = Dừng quét
scan-encoding = Đang tạo tệp PDF…
scan-page = Trang { $n }
scan-page-note = Trang { $n } (bản có ghi chú)
scan-page-rescan = Quét lại
scan-page-note-copy = Có ghi chú: quét thêm
scan-page-up = Lên
scan-page-down = Xuống
scan-page-delete = Xóa
scan-no-pages = Chưa có trang nào. Đặt giấy lên mặt kính (hoặc vào khay nạp) rồi bấm "Quét trang".
scan-rules = Mỗi trang giấy một hình; trang có ghi chú quét hai lần; bản quét phải giống bản giấy.
scan-done = Xong, lưu tài liệu
scan-close = Quay lại
scan-error-no-scanner = Không tìm thấy máy quét. Kiểm tra cáp và nguồn của máy quét, rồi thử lại. Hồ sơ vẫn nhận được, mục này ghi là chưa số hóa.
scan-error-busy = Máy quét đang bận (đang dùng ở nơi khác). Chờ một chút rồi quét lại.
scan-error-jammed = Máy quét bị kẹt giấy. Mở nắp, gỡ giấy ra rồi quét lại.
scan-error-cover-open = Nắp máy quét đang mở. Đóng nắp rồi quét lại.
scan-error-no-paper = Khay nạp không có giấy. Đặt giấy vào khay rồi quét lại.
scan-error-cancelled = Đã dừng quét. Các trang đã quét trước đó vẫn giữ nguyên.
scan-error-disk-full = Ổ đĩa đầy, không lưu được trang quét. Báo bộ phận CNTT; hồ sơ vẫn nhận được, mục này ghi là chưa số hóa.
scan-error-failed = Máy quét báo lỗi: { $reason }. Thử quét lại; nếu vẫn lỗi, báo bộ phận CNTT.
scan-pdf-failed = Không tạo được tệp PDF: { $reason }
scan-too-large = Tài liệu quá lớn ({ $size } MB, tối đa { $max } MB). Quét ở chế độ xám hoặc chia thành nhiều tài liệu.
scan-dossier-too-large = Các tài liệu của hồ sơ quá lớn ({ $size } MB, tối đa { $max } MB). Quét ở chế độ xám.
scan-not-kept = Ổ đĩa đầy: không lưu được bản quét. Hồ sơ đã được tiếp nhận; các mục sau ghi là chưa số hóa: { $items }
scan-result-lost = Ổ đĩa đầy: không lưu được bản quét kết quả; kết quả vẫn đã trả.
scan-result-attached = Bản quét kết quả: { $pages } trang
documents-title = Tài liệu đã số hóa
documents-none = Hồ sơ chưa có tài liệu số hóa.
documents-loading = Đang tải danh sách tài liệu…
documents-failed = Không tải được danh sách tài liệu: { $reason }
documents-line = { $item }: { $pages } trang, { $size } MB
documents-at-central = đã lưu ở hệ thống
documents-waiting = đang chờ gửi
documents-result = (kết quả)
documents-view = Xem
documents-opening = Đang mở tài liệu…
documents-open-failed = Không mở được tài liệu: { $reason }
