//! Errors of the central API as the server raises them: a status, a stable
//! code and a message in English; the body on the wire is the contract's
//! `ErrorBody` with the Vietnamese summary from `motcua_api::error`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use motcua_api::error::ErrorBody;

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
                motcua_core::queue::COUNTER_LABEL_MAX
            ),
        )
    }

    /// An officer id that may not be kept with calls and ratings. The id
    /// itself is not echoed back: it may be anything.
    pub fn invalid_officer() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_officer",
            format!(
                "an officer id is 1 to {} letters, digits, spaces or any of - . _ @, starting and ending with a letter or digit",
                motcua_core::queue::OFFICER_ID_MAX
            ),
        )
    }

    /// A second rating of a ticket: the first one stands.
    pub fn already_rated(ticket: i64) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "already_rated",
            format!("ticket {ticket} was already rated; a served ticket is rated once and the first rating stands"),
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
        motcua_api::error::message_vi(self.code)
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

impl From<crate::sql::Error> for ApiError {
    fn from(e: crate::sql::Error) -> Self {
        use crate::sql::Error as E;
        match e {
            E::Busy(_) => ApiError::unavailable("the database is busy"),
            E::Unreachable(m) => ApiError::unavailable(format!("the database cannot be reached: {m}")),
            e => ApiError::internal(format!("database: {e}")),
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

/// Why central could not start, or an administrative change could not be
/// made: its database, its socket, or what the change itself refused.
#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    /// A file or directory of central's.
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The database could not be opened or set up.
    #[error("{}: {source}", path.display())]
    Database {
        path: std::path::PathBuf,
        source: rusqlite::Error,
    },
    /// The database was written by a newer motcua, which this one would
    /// misread.
    #[error(
        "{}: the database is at schema version {found}, newer than this motcua knows ({known}); \
         install the newer motcua or restore a backup / cơ sở dữ liệu ở phiên bản {found}, mới hơn bản motcua \
         này ({known}): hãy cài bản motcua mới hơn hoặc khôi phục bản sao lưu",
        path.display()
    )]
    NewerSchema {
        path: std::path::PathBuf,
        found: i64,
        known: usize,
    },
    /// A migration of the schema failed; the database is as it was.
    #[error("{}: upgrading the schema from version {found}: {source}", path.display())]
    Migration {
        path: std::path::PathBuf,
        found: i64,
        source: rusqlite_migration::Error,
    },
    /// The configured database is not one central can use.
    #[error("{0}")]
    BadDatabase(String),
    /// PostgreSQL could not be reached, or its schema set up.
    #[error("{url}: {message}")]
    Postgres { url: String, message: String },
    /// The database was written by a newer motcua (PostgreSQL).
    #[error(
        "{url}: the database is at schema version {found}, newer than this motcua knows ({known}); \
         install the newer motcua / cơ sở dữ liệu ở phiên bản {found}, mới hơn bản motcua này ({known}): hãy cài bản motcua mới hơn"
    )]
    NewerPostgres { url: String, found: i64, known: usize },
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    /// A thread of central's could not be started.
    #[error("{0}")]
    Thread(std::io::Error),
    /// Central's certificates could not be made or read.
    #[error("TLS: {0}")]
    Tls(#[from] crate::tls::TlsError),

    /// The change was refused, or the database failed it: the message
    /// says which.
    #[error("{}", .0.message)]
    Refused(#[from] ApiError),
}

impl From<CentralError> for String {
    fn from(e: CentralError) -> String {
        e.to_string()
    }
}
