//! `motcua central migrate`, `backup` and `restore`: moving an office's
//! database to PostgreSQL, and backing central's database up. The work is
//! motcua_central's (`transfer`, `backup`); here, printing it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use motcua_central::db::Location;

/// The commands on central's database as a whole.
#[derive(Subcommand, Debug)]
pub enum MoveCommand {
    /// Copy an office's SQLite database (central may be running) into an
    /// empty PostgreSQL database, then check the copy table by table
    Migrate {
        /// The office's database: sqlite:PATH
        #[arg(long)]
        from: String,
        /// The new, empty database: postgres://user@host:port/name
        #[arg(long)]
        to: String,
    },
    /// Back central's database up into a new file: SQLite's online backup
    /// (safe while central runs), or pg_dump's custom format
    Backup {
        #[arg(long)]
        to: PathBuf,
        /// The pg_dump to use [default: the one on PATH]
        #[arg(long)]
        pg_dump: Option<PathBuf>,
    },
    /// Restore central's database from a backup (with central stopped):
    /// a SQLite backup into the data directory, or a pg_dump file into an
    /// empty PostgreSQL database
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace the data directory's existing SQLite database
        #[arg(long)]
        force: bool,
        /// The pg_restore to use [default: the one on PATH]
        #[arg(long)]
        pg_restore: Option<PathBuf>,
    },
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("motcua central: {e}");
    ExitCode::FAILURE
}

/// Runs `command` on the database of the data directory `dir` (named by
/// `database`, or the one the directory names).
pub fn run(command: MoveCommand, dir: &Path, database: Option<&str>) -> ExitCode {
    match command {
        MoveCommand::Migrate { from, to } => migrate(dir, &from, &to),
        MoveCommand::Backup { to, pg_dump } => {
            let location = match Location::for_dir(dir, database) {
                Ok(l) => l,
                Err(e) => return fail(e),
            };
            match motcua_central::backup::backup(&location, &to, pg_dump.as_deref()) {
                Ok(o) => {
                    println!("{} backed up into {} ({} bytes)", location.shown(), o.written, o.bytes);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        MoveCommand::Restore {
            from,
            force,
            pg_restore,
        } => {
            let location = match Location::for_dir(dir, database) {
                Ok(l) => l,
                Err(e) => return fail(e),
            };
            match motcua_central::backup::restore(&location, &from, force, pg_restore.as_deref()) {
                Ok(o) => {
                    println!(
                        "{} restored from {} (schema version {})",
                        o.written,
                        from.display(),
                        o.schema.map_or("unknown".into(), |v| v.to_string())
                    );
                    for (table, rows) in &o.tables {
                        println!("  {table}: {rows}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

fn migrate(dir: &Path, from: &str, to: &str) -> ExitCode {
    let source = match Location::of(dir, Some(from)) {
        Ok(Location::Sqlite(path)) if from.starts_with("sqlite:") => path,
        Ok(_) => {
            return fail(
                "--from is the office's SQLite database: sqlite:PATH / --from là tệp SQLite: sqlite:ĐƯỜNG_DẪN",
            );
        }
        Err(e) => return fail(e),
    };
    let target = match Location::of(dir, Some(to)) {
        Ok(Location::Postgres(url)) => url,
        Ok(_) => {
            return fail(
                "--to is the new PostgreSQL database: postgres://user@host:port/name / --to là cơ sở dữ liệu PostgreSQL: postgres://…",
            );
        }
        Err(e) => return fail(e),
    };
    match motcua_central::transfer::migrate(&source, &target) {
        Ok(report) => {
            print!("{}", report.to_text());
            if report.ok() {
                println!(
                    "moved; start central with --database {} (or [central] database) / đã chuyển xong",
                    report.target
                );
                ExitCode::SUCCESS
            } else {
                for f in report.failures() {
                    eprintln!("motcua central: {f}");
                }
                fail(
                    "the copy does not match the office's database and was rolled back: the target is left empty \
                     / bản sao không khớp nên đã hủy: cơ sở dữ liệu đích vẫn trống",
                )
            }
        }
        Err(e) => fail(e),
    }
}
