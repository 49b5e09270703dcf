//! Central's listening side: connections accepted under a cap (overall
//! and per address), TLS handshakes and request headers given a deadline,
//! idle connections closed, every request told who sent it ([`Peer`]).
//! One host that opens thousands of connections and sends nothing cannot
//! keep the office's devices out.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::App;
use crate::error::ApiError;

/// What central gives a connection before it is cut.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once, all addresses together.
    pub connections: usize,
    /// Connections open at once from one address.
    pub per_address: usize,
    /// To finish the TLS handshake.
    pub handshake: Duration,
    /// To send a request's headers; also how long a kept-alive connection
    /// may sit idle between requests.
    pub headers: Duration,
    /// To send a request's body and get its answer started.
    pub request: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connections: 8192,
            // An office has tens of devices, each with an address of its
            // own; a few connections each (requests, event streams).
            per_address: 256,
            handshake: Duration::from_secs(10),
            headers: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// Who sent a request: the address, and the device certificate's
/// fingerprint on a TLS connection that presented one.
#[derive(Debug, Clone)]
pub struct Peer {
    pub addr: SocketAddr,
    /// Whether the connection is TLS.
    pub tls: bool,
    pub cert: Option<[u8; 32]>,
}

/// Open connections per address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// A slot of one address's connections, given back when dropped.
struct Slot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    fn take(self: &Arc<Self>, ip: IpAddr, cap: usize) -> Option<Slot> {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = t.entry(ip).or_default();
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(Slot {
            table: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut t = self.table.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = t.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                t.remove(&self.ip);
            }
        }
    }
}

/// Lets this process open as many files as its hard limit allows (the
/// unit sets `LimitNOFILE`): each connection is one. Answers the limit.
pub fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write `limit`.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// Serves `app` on `listener` until the future is dropped (connections
/// are cut with it) or `graceful` resolves (no new connection; the open
/// ones get `linger` to finish their requests).
pub async fn accept(
    listener: TcpListener,
    app: App,
    graceful: impl std::future::Future<Output = ()>,
    linger: Duration,
) -> std::io::Result<()> {
    raise_fd_limit();
    let router = crate::router(app.clone());
    let limits = app.limits.clone();
    let acceptor = app
        .tls
        .as_ref()
        .map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
    let all = Arc::new(tokio::sync::Semaphore::new(limits.connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(graceful);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it
                    // was taken: the ones open go on; try again shortly.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut graceful => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Ok(permit) = all.clone().try_acquire_owned() else {
            app.metrics.connections_refused.inc();
            continue;
        };
        let Some(slot) = per_address.take(addr.ip(), limits.per_address) else {
            app.metrics.connections_refused.inc();
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (router, app, acceptor, stopping) = (router.clone(), app.clone(), acceptor.clone(), stopping.clone());
        connections.spawn(async move {
            let _held = (permit, slot);
            match acceptor {
                None => {
                    let peer = Peer {
                        addr,
                        tls: false,
                        cert: None,
                    };
                    connection(stream, peer, router, &app, stopping).await;
                }
                Some(acceptor) => {
                    let Ok(Ok(tls)) = tokio::time::timeout(app.limits.handshake, acceptor.accept(stream)).await else {
                        return;
                    };
                    let cert = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|c| c.first())
                        .map(|c| crate::tls::fingerprint(c));
                    let peer = Peer { addr, tls: true, cert };
                    connection(tls, peer, router, &app, stopping).await;
                }
            }
        });
    }
    // Graceful: no new connection; the open ones finish what they are
    // doing, within `linger`.
    let _ = stop.send(true);
    let _ = tokio::time::timeout(linger, async { while connections.join_next().await.is_some() {} }).await;
    connections.abort_all();
    Ok(())
}

/// Whether the certificate a connection came with is a revoked device's.
fn is_revoked(tls: Option<&crate::tls::CentralTls>, cert: Option<[u8; 32]>) -> bool {
    cert.zip(tls).is_some_and(|(fp, t)| t.revoked.contains(&fp))
}

/// One connection's requests, until the client leaves, a deadline passes,
/// central stops, or the device it belongs to is revoked.
async fn connection<IO>(
    io: IO,
    peer: Peer,
    router: axum::Router,
    app: &App,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let request_deadline = app.limits.request;
    let cert = peer.cert;
    let tls = app.tls.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer.addr));
        request.extensions_mut().insert(peer.clone());
        let mut router = router.clone();
        // A device revoked since this connection was made: refused, and
        // the connection closed, so its next request needs a handshake.
        let revoked = is_revoked(tls.as_deref(), cert);
        async move {
            if revoked {
                let mut answer =
                    axum::response::IntoResponse::into_response(ApiError::unauthorized("this device was revoked"));
                answer.headers_mut().insert(
                    axum::http::header::CONNECTION,
                    axum::http::HeaderValue::from_static("close"),
                );
                return Ok(answer);
            }
            use tower_service::Service;
            let answer = tokio::time::timeout(request_deadline, router.call(request)).await;
            Ok::<_, std::convert::Infallible>(match answer {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(_) => axum::response::IntoResponse::into_response(ApiError::new(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    "the request was not sent in time",
                )),
            })
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(app.limits.headers)
        .max_buf_size(64 * 1024);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    let mut revocations = app.tls.as_ref().map(|t| t.generation.subscribe());
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            changed = stopping.changed() => {
                if changed.is_err() || *stopping.borrow() {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                    return;
                }
            }
            Some(Ok(())) = async {
                match revocations.as_mut() {
                    Some(r) => Some(r.changed().await),
                    None => None,
                }
            } => {
                let revoked = is_revoked(app.tls.as_deref(), cert);
                if revoked {
                    tracing::info!("a revoked device's connection was cut");
                    return;
                }
            }
        }
    }
}
