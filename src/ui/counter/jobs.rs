//! The work the counter starts and the runtime does: signing in on the
//! store, the queue and dossiers with central, printing receipts. Each job
//! answers with the counter's message for its result.

use super::*;

/// Work with side effects. Jobs that stamp a time carry the counter's
/// clock ([`Counter::now`]), so tests run at any hour with a fixed one.
#[derive(Debug, Clone)]
pub enum Job {
    None,
    SignIn(String, String, Timestamp),
    /// Call the next ticket, as this officer.
    Call(String),
    Act(i64, &'static str),
    Transfer(i64, crate::sync::client::Transfer),
    CallNumber(String),
    Waiting,
    TakeIn(Box<crate::counter::Intake>, Officer, Timestamp),
    Print(Box<TakenIn>),
    Verify(String),
    /// Return the result of a dossier, with its scan if one was made, as
    /// this officer.
    Return(
        String,
        Timestamp,
        Option<Box<crate::store::NewDocument>>,
        Option<String>,
    ),
    /// List a dossier's documents.
    Documents(String),
    /// Read a document's pages to show them.
    ShowDocument(String, String),
    /// Ask the scanner where it takes paper from.
    Sources,
    /// Scan pages (streamed to the screen by [`Counter::perform`]).
    Scan(crate::scan::ScanRequest, crate::scan::Cancel),
    /// Make one PDF of a document's pages.
    EncodeScan(Vec<crate::scan::Page>, String, Timestamp),
    /// Print a form of the set for a dossier, as this officer.
    Form {
        code: String,
        qr_text: String,
        request: Box<crate::counter::FormRequest>,
        officer: Officer,
        at: Timestamp,
    },
    /// Ask this counter's citizen display to put the national questions
    /// for a dossier (just taken in, or returned).
    AskEvaluation(String, motcua_api::evaluation::Occasion),
    /// Record the fee of a dossier.
    Fee {
        code: String,
        amount: u64,
        way: FeeWay,
        reference: Option<String>,
        at: Timestamp,
    },
    /// Print a refusal (form 03) of a dossier not taken in.
    Refuse {
        request: Box<crate::counter::FormRequest>,
        officer: Officer,
        at: Timestamp,
    },
}

impl Counter {
    /// Runs a job to its message.
    pub async fn run(
        desk: Arc<Desk>,
        printer: Printer,
        number: String,
        groups: Vec<String>,
        job: Job,
    ) -> Option<Message> {
        let link = desk.link.clone();
        let key = || motcua_core::ids::random_hex(16);
        let unreachable = || QueueProblem::Unreachable;
        match job {
            Job::None => None,
            Job::SignIn(id, pin, now) => {
                let store = desk.store.clone();
                let result = tokio::task::spawn_blocking(move || {
                    store.lock().unwrap_or_else(|p| p.into_inner()).sign_in(&id, &pin, now)
                })
                .await
                .unwrap_or_else(|e| {
                    Err(SignInError::Store(crate::store::StoreError::Sqlite {
                        path: Default::default(),
                        reason: e.to_string(),
                    }))
                });
                Some(Message::SignedIn(result))
            }
            Job::Call(officer) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().call_next(&number, &groups, Some(&officer), &key()).await;
                Some(Message::Queue(r.map_err(QueueProblem::from)))
            }
            Job::Act(id, action) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().ticket_action(id, action, &number, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(QueueProblem::from)))
            }
            Job::CallNumber(ticket) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().call_number(&number, &ticket, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(QueueProblem::from)))
            }
            Job::Transfer(id, to) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().transfer(id, &to, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(QueueProblem::from)))
            }
            Job::Waiting => {
                let link = link?;
                link.client().waiting().await.ok().map(Message::Waiting)
            }
            Job::TakeIn(intake, officer, at) => Some(Message::TakenIn(
                desk.take_in(*intake, &officer, at)
                    .await
                    .map(Box::new)
                    .map_err(Arc::new),
            )),
            Job::Print(taken) => {
                let dir = desk.data_dir.join("receipts");
                let result = tokio::task::spawn_blocking(move || print_receipt(&taken, &printer, &dir))
                    .await
                    .unwrap_or_else(|e| Err(PrintError::Io(e.to_string())));
                Some(Message::Printed(result))
            }
            Job::Verify(text) => {
                let result = desk.verify(&text).await;
                let history = match &result {
                    Ok(v) => desk.history(&v.payload.dossier_code).await,
                    Err(_) => Vec::new(),
                };
                Some(Message::Verified(result, history))
            }
            Job::Return(code, at, scan, officer) => Some(Message::Returned(
                desk.return_with_scan(&code, scan.map(|d| *d), officer, at)
                    .await
                    .map_err(Arc::new),
            )),
            Job::ShowDocument(code, sha256) => {
                let pages = desk.document_pages(&code, &sha256).await;
                let shown = match pages {
                    Ok(pages) => tokio::task::spawn_blocking(move || pages.into_iter().map(ScannedPage::of).collect())
                        .await
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                Some(Message::DocumentShown(sha256, shown))
            }
            Job::Documents(code) => {
                let r = desk.documents(&code).await.map_err(Arc::new);
                Some(Message::Documents(code, r))
            }
            Job::Sources => {
                let scanner = desk.scanner.clone();
                let sources = tokio::task::spawn_blocking(move || scanner.sources())
                    .await
                    .unwrap_or_else(|e| Err(crate::scan::ScanError::Failed(e.to_string())));
                Some(Message::Scan(ScanMsg::Sources(sources)))
            }
            Job::Scan(request, cancel) => {
                // In one piece (tests, tools): the pages, then the end.
                let scanner = desk.scanner.clone();
                let scratch = desk.data_dir.clone();
                let (pages, result) = tokio::task::spawn_blocking(move || {
                    let mut pages = Vec::new();
                    let result = scanner
                        .scan_in(&scratch, &request, &cancel, &mut |p| {
                            pages.push(ScannedPage::of(p.clone()))
                        })
                        .map(|_| ());
                    (pages, result)
                })
                .await
                .unwrap_or_else(|e| (Vec::new(), Err(crate::scan::ScanError::Failed(e.to_string()))));
                Some(Message::Scan(ScanMsg::Scanned(pages, result)))
            }
            Job::EncodeScan(pages, title, at) => {
                let r = tokio::task::spawn_blocking(move || crate::scan::encode_pdf(&pages, &title, at))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()));
                Some(Message::Scan(ScanMsg::Encoded(r.map(Arc::new))))
            }
            Job::Form {
                code,
                qr_text,
                request,
                officer,
                at,
            } => Some(Message::FormPrinted(
                desk.print_form(Some(&code), Some(&qr_text), &request, &officer, at)
                    .await
                    .map_err(Arc::new),
            )),
            Job::AskEvaluation(code, occasion) => {
                // Best effort: a display not listening, or central out of
                // reach, only means the citizen is not asked.
                if let Some(link) = link
                    && let Err(e) = link.client().ask_evaluation(&code, &number, occasion).await
                {
                    tracing::info!(code, error = %e, "the citizen display was not asked for an evaluation");
                }
                None
            }
            Job::Fee {
                code,
                amount,
                way,
                reference,
                at,
            } => {
                let paid = way != FeeWay::Requested;
                let result = desk
                    .record_payment(&code, amount, paid, way.method(), reference, at)
                    .await;
                Some(Message::FeeRecorded(way, result.map_err(Arc::new)))
            }
            Job::Refuse { request, officer, at } => Some(Message::Refused(
                desk.print_form(None, None, &request, &officer, at)
                    .await
                    .map_err(Arc::new),
            )),
        }
    }

    /// Runs a job in place and returns its message (tests, tools).
    pub fn run_now(&self, job: Job) -> Option<Message> {
        let fut = Self::run(
            self.desk.clone(),
            self.printer.clone(),
            self.settings.number.clone(),
            self.settings.groups.clone(),
            job,
        );
        match &self.desk.link {
            Some(link) => link.block_on(fut),
            None => crate::runtime::handle().block_on(fut),
        }
    }

    /// Runs a job off the UI thread.
    pub fn perform(&self, job: Job) -> Task<Message> {
        if matches!(job, Job::None) {
            return Task::none();
        }
        if let Job::Scan(request, cancel) = job {
            return self.scan_stream(request, cancel);
        }
        let fut = Self::run(
            self.desk.clone(),
            self.printer.clone(),
            self.settings.number.clone(),
            self.settings.groups.clone(),
            job,
        );
        match &self.desk.link {
            Some(link) => {
                let handle = link.spawn(fut);
                Task::future(async move { handle.await.ok().flatten() }).and_then(Task::done)
            }
            None => Task::future(fut).and_then(Task::done),
        }
    }
}

impl Counter {
    /// Scans on a thread of its own, each page to the screen as it
    /// arrives (a feeder's pages one by one), then the end.
    fn scan_stream(&self, request: crate::scan::ScanRequest, cancel: crate::scan::Cancel) -> Task<Message> {
        let scanner = self.desk.scanner.clone();
        // The pages pass through the data directory's disk: a full one is
        // told as such.
        let scratch = self.desk.data_dir.clone();
        let (tx, rx) = futures::channel::mpsc::unbounded();
        let spawned = std::thread::Builder::new().name("scan".into()).spawn(move || {
            let result = scanner
                .scan_in(&scratch, &request, &cancel, &mut |p| {
                    let _ = tx.unbounded_send(ScanMsg::Pages(vec![ScannedPage::of(p.clone())]));
                })
                .map(|_| ());
            let _ = tx.unbounded_send(ScanMsg::Finished(result));
        });
        if let Err(e) = spawned {
            return Task::done(Message::Scan(ScanMsg::Finished(Err(crate::scan::ScanError::Failed(
                e.to_string(),
            )))));
        }
        Task::run(rx, Message::Scan)
    }
}

/// Prints the thermal receipt and keeps the A4 copy as PDF.
fn print_receipt(taken: &TakenIn, printer: &Printer, dir: &std::path::Path) -> Result<(), PrintError> {
    use crate::print::receipt;
    std::fs::create_dir_all(dir).map_err(|e| PrintError::Io(e.to_string()))?;
    crate::print::write_atomically(&dir.join(format!("{}.pdf", taken.code)), &receipt::a4_pdf(&taken.doc))
        .map_err(|e| PrintError::Io(e.to_string()))?;
    let raster = receipt::thermal(&taken.doc);
    match printer {
        Printer::Folder { path } => {
            std::fs::create_dir_all(path).map_err(|e| PrintError::NoDevice(format!("{}: {e}", path.display())))?;
            let stem = format!("receipt-{}", taken.code);
            crate::print::write_atomically(&path.join(format!("{stem}.png")), &raster.to_png())
                .and_then(|_| crate::print::write_atomically(&path.join(format!("{stem}.bin")), &raster.to_escpos()))
                .map_err(|e| PrintError::Io(e.to_string()))
        }
        other => other.print(&format!("receipt-{}", taken.code), &raster.to_escpos()),
    }
}
