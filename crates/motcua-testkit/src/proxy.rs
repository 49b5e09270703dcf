//! A TCP proxy between a kiosk and central that misbehaves on demand:
//! error answers with Retry-After, slowness beyond the client's timeout,
//! and connections reset before or after central saw the request.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status (and Retry-After seconds) without asking central.
    Status(u16, Option<u64>),
    /// Wait, then pass the request on (the client may have given up).
    Delay(Duration),
    /// Drop the connection before central sees the request.
    ResetBefore,
    /// Let central handle the request, then drop the connection unanswered.
    ResetAfter,
    /// Pass central the headers and half the body, then drop both
    /// connections: a line that breaks in the middle of an upload.
    CutBody,
}

pub struct Proxy {
    pub addr: SocketAddr,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    /// Requests that reached central through the proxy.
    pub forwarded: Arc<(Mutex<usize>, Notify)>,
    runtime: tokio::runtime::Runtime,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let faults: Arc<Mutex<VecDeque<Fault>>> = Arc::default();
        let forwarded: Arc<(Mutex<usize>, Notify)> = Arc::default();
        let (f, fw) = (faults.clone(), forwarded.clone());
        runtime.spawn(async move {
            let listener = TcpListener::from_std(std_listener).unwrap();
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    break;
                };
                let fault = f.lock().unwrap().pop_front();
                tokio::spawn(handle(socket, upstream, fault, fw.clone()));
            }
        });
        Proxy {
            addr,
            faults,
            forwarded,
            runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next connections get these faults, in order; then all pass.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.lock().unwrap().extend(faults);
    }

    /// Drops the faults not met yet: the next connections all pass.
    pub fn clear(&self) {
        self.faults.lock().unwrap().clear();
    }

    /// Waits until `n` requests have reached central through the proxy.
    pub fn wait_forwarded(&self, n: usize) {
        let fw = self.forwarded.clone();
        self.runtime.block_on(async move {
            loop {
                let notified = fw.1.notified();
                if *fw.0.lock().unwrap() >= n {
                    return;
                }
                notified.await;
            }
        });
    }
}

/// Reads one HTTP message (headers and a Content-Length body).
async fn read_message(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Marks the answer `Connection: close`, so every request takes a new
/// connection and meets the next fault.
fn closing(mut response: Vec<u8>) -> Vec<u8> {
    if let Some(end) = response.windows(2).position(|w| w == b"\r\n") {
        response.splice(end + 2..end + 2, b"connection: close\r\n".iter().copied());
    }
    response
}

async fn forward(request: &[u8], upstream: SocketAddr, fw: &(Mutex<usize>, Notify)) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await.ok()?;
    up.write_all(request).await.ok()?;
    let response = read_message(&mut up).await;
    *fw.0.lock().unwrap() += 1;
    fw.1.notify_waiters();
    response
}

async fn handle(mut socket: TcpStream, upstream: SocketAddr, fault: Option<Fault>, fw: Arc<(Mutex<usize>, Notify)>) {
    let Some(request) = read_message(&mut socket).await else {
        return;
    };
    match fault {
        Some(Fault::Status(status, retry_after)) => {
            let body = r#"{"code":"injected","message":"injected by the test proxy","message_vi":"lỗi giả lập"}"#;
            let mut head = format!(
                "HTTP/1.1 {status} Injected\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            if let Some(s) = retry_after {
                head.push_str(&format!("retry-after: {s}\r\n"));
            }
            head.push_str("\r\n");
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
        }
        Some(Fault::ResetBefore) => {
            let _ = socket.set_zero_linger();
        }
        Some(Fault::ResetAfter) => {
            let _ = forward(&request, upstream, &fw).await;
            let _ = socket.set_zero_linger();
        }
        Some(Fault::CutBody) => {
            let head = request.windows(4).position(|w| w == b"\r\n\r\n").map_or(0, |e| e + 4);
            let cut = head + (request.len() - head) / 2;
            if let Ok(mut up) = TcpStream::connect(upstream).await {
                let _ = up.write_all(&request[..cut]).await;
                let _ = up.set_zero_linger();
            }
            let _ = socket.set_zero_linger();
        }
        Some(Fault::Delay(d)) => {
            tokio::time::sleep(d).await;
            if let Some(response) = forward(&request, upstream, &fw).await {
                let _ = socket.write_all(&closing(response)).await;
            }
        }
        None => {
            if let Some(response) = forward(&request, upstream, &fw).await {
                let _ = socket.write_all(&closing(response)).await;
            }
        }
    }
}
