//! A plain TCP tunnel to central that can be cut: one address of a
//! central with several, carrying anything (an event stream too), until
//! the test cuts it. Then its port refuses connections and those open
//! through it break, as when the process behind an address dies.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Tunnel {
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    /// Set: the process behind hangs (see [`Tunnel::hang`]).
    hung: watch::Sender<bool>,
}

impl Tunnel {
    pub fn start(upstream: SocketAddr) -> Tunnel {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (hung, watching) = watch::channel(false);
        runtime.spawn(async move {
            let listener = TcpListener::from_std(std_listener).unwrap();
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut hung = watching.clone();
                tokio::spawn(async move {
                    if *hung.borrow() {
                        // Taken, never answered.
                        std::future::pending::<()>().await;
                    }
                    if let Ok(mut up) = TcpStream::connect(upstream).await {
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut socket, &mut up) => {}
                            _ = hung.wait_for(|h| *h) => {}
                        }
                    }
                });
            }
        });
        Tunnel {
            addr,
            runtime: Some(runtime),
            hung,
        }
    }

    /// The process behind hangs: the connections open through the tunnel
    /// break, and new ones are taken and never answered.
    pub fn hang(&self) {
        self.hung.send_replace(true);
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes the port and every connection through it.
    pub fn cut(&mut self) {
        drop(self.runtime.take());
    }
}

/// An address of 127.0.0.1 where nothing listens: connections to it are
/// refused at once.
pub fn dead_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
