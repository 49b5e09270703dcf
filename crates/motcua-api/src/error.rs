//! Errors on the wire: every error answer of central is an `ErrorBody`
//! with a stable code, an English message and its Vietnamese summary.

use serde::{Deserialize, Serialize};

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `not_found`.
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
    /// The same in Vietnamese, for people reading logs and screens.
    pub message_vi: String,
}

/// The Vietnamese summary of an error code, for people reading logs and
/// screens; an unknown code reads as a system error.
pub fn message_vi(code: &str) -> &'static str {
    match code {
        "bad_request" => "Yêu cầu không hợp lệ",
        "unauthorized" => "Thiết bị chưa được đăng ký hoặc đã bị thu hồi",
        "forbidden" => "Thiết bị không có quyền với dữ liệu này",
        "not_found" => "Không tìm thấy",
        "conflict" => "Xung đột với dữ liệu đã có",
        "payload_too_large" => "Dữ liệu gửi lên quá lớn",
        "unsupported_media_type" => "Dữ liệu phải ở dạng JSON",
        "unprocessable" => "Dữ liệu không đúng định dạng",
        "invalid_counter" => {
            "Tên quầy chỉ gồm từ 1 đến 10 chữ cái, chữ số, dấu cách hoặc dấu gạch ngang, bắt đầu và kết thúc bằng chữ hoặc số"
        }
        "invalid_officer" => {
            "Mã cán bộ chỉ gồm từ 1 đến 32 chữ cái, chữ số, dấu cách hoặc các dấu - . _ @, bắt đầu và kết thúc bằng chữ hoặc số"
        }
        "already_rated" => "Lượt phục vụ này đã được đánh giá; mỗi lượt chỉ được đánh giá một lần",
        "idempotency_key_reused" => "Mã Idempotency-Key này đã được dùng cho một yêu cầu khác",
        "rate_limited" => "Thiết bị gửi quá nhiều yêu cầu, xin chờ rồi thử lại",
        "unavailable" => "Hệ thống tạm thời không phục vụ được, xin thử lại sau",
        "method_not_allowed" => "Phương thức không được hỗ trợ",
        "report_range" => "Khoảng ngày của báo cáo không hợp lệ: tối đa 366 ngày, ngày đầu không sau ngày cuối",
        "reports_busy" => "Đang lập nhiều báo cáo cùng lúc, xin thử lại sau ít phút",
        "invalid_payment" => "Thông tin thanh toán phí, lệ phí không hợp lệ",
        // Scanned documents (`crate::documents`).
        "document_hash" => "Mã băm SHA-256 của tệp phải gồm đúng 64 chữ số hệ mười sáu viết thường",
        "document_empty" => "Tệp tài liệu quét rỗng",
        "document_pages" => "Tài liệu quét phải có ít nhất 1 trang",
        "document_item" => "Tên giấy tờ trong danh mục phải từ 1 đến 300 ký tự",
        "document_time" => "Thời điểm quét không đúng định dạng ngày giờ RFC 3339",
        "document_too_large" => "Tệp tài liệu quét vượt quá dung lượng cho phép của một tài liệu",
        "dossier_documents_too_large" => "Tổng dung lượng tài liệu quét của hồ sơ vượt quá mức cho phép",
        "document_not_announced" => "Hồ sơ không có tài liệu quét này; cần báo tài liệu trước khi gửi tệp",
        "chunk_too_large" => "Mỗi lần gửi chỉ được tối đa 1 MiB của tệp",
        "chunk_past_end" => "Phần tệp gửi lên vượt quá kích thước tệp đã báo",
        "document_hash_mismatch" => "Tệp nhận được không khớp mã băm SHA-256 đã báo; cần gửi lại từ đầu",
        "document_incomplete" => "Tài liệu quét chưa được gửi đủ lên hệ thống",
        _ => "Lỗi hệ thống",
    }
}
