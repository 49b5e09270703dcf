//! Errors of the central API: a status, a stable code, and a message in
//! English with its Vietnamese summary, as `{code, message, message_vi}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code such as `not_found`.
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
    /// The same in Vietnamese, for people reading logs and screens.
    pub message_vi: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds to wait, for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }

    /// A counter label that may not be shown or spoken in the hall. The
    /// label itself is not echoed back: it may be anything.
    pub fn invalid_counter() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_counter",
            format!(
                "a counter label is 1 to {} letters, digits, spaces or '-', starting and ending with a letter or digit",
                super::model::COUNTER_LABEL_MAX
            ),
        )
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests from this device",
            )
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    fn message_vi(&self) -> &'static str {
        match self.code {
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
            "idempotency_key_reused" => "Mã Idempotency-Key này đã được dùng cho một yêu cầu khác",
            "rate_limited" => "Thiết bị gửi quá nhiều yêu cầu, xin chờ rồi thử lại",
            "unavailable" => "Hệ thống tạm thời không phục vụ được, xin thử lại sau",
            "method_not_allowed" => "Phương thức không được hỗ trợ",
            "report_range" => "Khoảng ngày của báo cáo không hợp lệ: tối đa 366 ngày, ngày đầu không sau ngày cuối",
            "reports_busy" => "Đang lập nhiều báo cáo cùng lúc, xin thử lại sau ít phút",
            _ => "Lỗi hệ thống",
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                ApiError::unavailable("the database is busy")
            }
            _ => ApiError::internal(format!("database: {e}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, code = self.code, message = %self.message, "request failed");
        }
        let body = ErrorBody {
            code: self.code.to_string(),
            message: self.message.clone(),
            message_vi: self.message_vi().to_string(),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
