//! The outbox drain: each office's waiting status changes sent to its
//! portal once and in order (DongBoHoSoMC, then CapNhatTienDoHoSoMC), and
//! the background loop that drains every office and sends the month's
//! satisfaction totals every hour.

use std::time::Duration;

use super::dvcqg::{self, Dvcqg, PortalError};
use super::mapping::Mapping;
use super::{client_for, read, write};
use crate::App;
use crate::error::ApiError;
use crate::repo::{self, portal::Record};

/// What a drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drained {
    pub sent: usize,
    pub failed: usize,
    /// Records wait because the portal did not answer: try again later.
    pub waiting: bool,
}

/// Sends an office's waiting records, in order, until none is left or the
/// portal stops answering.
///
/// Several central processes on one PostgreSQL drain each office one at a
/// time: the one holding the office's drain lock sends; the others leave
/// the records to it (answering `waiting`), and take over as soon as it
/// lets go or dies.
pub async fn drain(app: &App, office: &str) -> Result<Drained, super::RunError> {
    let mut lock = match app.db.postgres() {
        Some(pg) => match pg.try_lock(&format!("portal:{office}")).await? {
            Some(lock) => Some(lock),
            None => {
                return Ok(Drained {
                    waiting: true,
                    ..Drained::default()
                });
            }
        },
        None => None,
    };
    let drained = drain_held(app, office, &mut lock).await;
    if let Some(lock) = lock {
        lock.release().await;
    }
    drained
}

/// [`drain`], with the office's drain lock held (on PostgreSQL).
async fn drain_held(
    app: &App,
    office: &str,
    lock: &mut Option<crate::pg::SessionLock>,
) -> Result<Drained, super::RunError> {
    let mut cache = app.portal.0.lock().await;
    let o = office.to_string();
    let Some((settings, mapping)) = read(app, move |c| super::settings(c, &o)).await? else {
        return Ok(Drained::default());
    };
    let agency = settings.tendonvi.clone();
    let client = client_for(&mut cache, &app.portal.1, office, settings);
    let mut done = Drained::default();
    loop {
        let o = office.to_string();
        let next = read(app, move |c| repo::portal::next_pending(c, &o)).await?;
        let Some(record) = next else {
            return Ok(done);
        };
        // The lock went with its connection: another process may drain now.
        if let Some(lock) = lock.as_mut()
            && !lock.held().await
        {
            done.waiting = true;
            return Ok(done);
        }
        let id = record.id;
        match deliver(app, office, &client, &mapping, &agency, &record).await {
            Ok(()) => {
                let sent_at = app.now();
                write(app, move |c| repo::portal::mark_sent(c, id, sent_at)).await?;
                done.sent += 1;
            }
            Err(e) if e.transient() => {
                let reason = e.to_string();
                tracing::warn!(office, record = id, error = %reason, "the portal did not take a dossier record; will retry");
                write(app, move |c| repo::portal::mark_retry(c, id, &reason)).await?;
                done.waiting = true;
                return Ok(done);
            }
            Err(e) if record.evaluation.is_some() => {
                // An evaluation holds nothing behind it: the dossier's own
                // records still go.
                let reason = e.to_string();
                tracing::error!(office, record = id, error = %reason, "the portal refused a dossier evaluation; kept as failed");
                write(app, move |c| repo::portal::mark_failed_alone(c, id, &reason)).await?;
                done.failed += 1;
            }
            Err(e) => {
                let reason = e.to_string();
                tracing::error!(office, record = id, error = %reason, "the portal refused a dossier record; kept as failed");
                let (o, code) = (office.to_string(), record.code.clone());
                // Later changes of that dossier would arrive out of order.
                write(app, move |c| repo::portal::mark_failed(c, &o, &code, id, &reason)).await?;
                done.failed += 1;
            }
        }
    }
}

async fn deliver(
    app: &App,
    office: &str,
    client: &Dvcqg,
    mapping: &Mapping,
    agency: &str,
    r: &Record,
) -> Result<(), PortalError> {
    if let Some(evaluation) = r.evaluation {
        return deliver_evaluation(app, office, client, r, evaluation).await;
    }
    let Some((national, action)) = mapping.status(r.status) else {
        // This status is not told to the portal.
        return Ok(());
    };
    let storage = |e: ApiError| PortalError::Unreachable(format!("central's database: {}", e.message));
    if r.step == 0 {
        let (o, code, now) = (office.to_string(), r.code.clone(), app.now());
        let (dossier, known) = read(app, move |c| {
            Ok((
                crate::dossier::get(c, &o, &code, now)?,
                repo::portal::portal_has(c, &o, &code)?,
            ))
        })
        .await
        .map_err(storage)?;
        let Some(dossier) = dossier else {
            return Err(PortalError::Refused {
                code: "-".into(),
                message: format!("dossier {} is not in central", r.code),
            });
        };
        let object = dvcqg::dossier_object(&r.code, &dossier.data, national, agency, &r.at);
        match client.push_dossier(&object, known).await {
            Ok(()) => {}
            // The portal has it (an earlier answer was lost): an update.
            Err(PortalError::Exists) => client.push_dossier(&object, true).await?,
            Err(PortalError::Missing) if known => client.push_dossier(&object, false).await?,
            Err(e) => return Err(e),
        }
        let (o, code, id) = (office.to_string(), r.code.clone(), r.id);
        write(app, move |c| repo::portal::dossier_pushed(c, &o, &code, id))
            .await
            .map_err(storage)?;
    }
    let item = dvcqg::progress_item(&r.code, national, action, "", &r.at, &r.note);
    client.push_progress(&[item]).await
}

/// A dossier evaluation, once the portal has the dossier.
async fn deliver_evaluation(
    app: &App,
    office: &str,
    client: &Dvcqg,
    r: &Record,
    evaluation: i64,
) -> Result<(), PortalError> {
    let (o, code) = (office.to_string(), r.code.clone());
    let (stored, known) = read(app, move |c| {
        Ok((
            repo::evaluations::get(c, evaluation)?,
            repo::portal::portal_has(c, &o, &code)?,
        ))
    })
    .await
    .map_err(|e| PortalError::Unreachable(format!("central's database: {}", e.message)))?;
    let refused = |message: String| PortalError::Refused {
        code: "-".into(),
        message,
    };
    if !known {
        return Err(refused(format!(
            "dossier {} has not reached the portal, so its evaluation cannot follow",
            r.code
        )));
    }
    let item = stored
        .and_then(|(occasion, at, answers)| super::evaluations::item(&r.code, &occasion, &at, &answers))
        .ok_or_else(|| refused(format!("evaluation {evaluation} is not in central")))?;
    client.push_evaluation(&item).await
}

/// Offices that send dossiers on.
pub async fn offices(app: &App) -> Result<Vec<String>, ApiError> {
    read(app, repo::portal::offices).await
}

/// The background worker: every office's outbox, and the month's
/// satisfaction totals every hour. Runs until stopped; a supervisor
/// ([`crate::supervise`]) starts it again should it end.
pub async fn run(app: App) -> Result<(), ApiError> {
    let mut backoff = motcua_core::backoff::Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    let mut ratings_due = tokio::time::Instant::now();
    loop {
        let mut waiting = false;
        for office in offices(&app).await.unwrap_or_default() {
            match drain(&app, &office).await {
                Ok(d) => waiting |= d.waiting,
                Err(e) => {
                    tracing::error!(office, error = %e, "portal outbox not read");
                    waiting = true;
                }
            }
            if tokio::time::Instant::now() >= ratings_due {
                let month = motcua_core::time::local_day(app.now());
                if let Err(e) = super::sync_ratings(&app, &office, month).await {
                    tracing::warn!(office, error = %e, "satisfaction totals not sent; will retry");
                }
            }
        }
        if tokio::time::Instant::now() >= ratings_due {
            ratings_due = tokio::time::Instant::now() + Duration::from_secs(3600);
        }
        let wait = if waiting {
            backoff.next(motcua_core::backoff::unit())
        } else {
            backoff.reset();
            Duration::from_secs(2)
        };
        tokio::time::sleep(wait).await;
    }
}
