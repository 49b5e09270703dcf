//! `motcua catalog`: check a catalog file, or search one as the kiosk does.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use motcua::setup::{self, Fault};
use motcua_core::catalog::Catalog;
use motcua_core::search;

#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Validate a catalog file and list every problem (exit 0 when valid, 1 otherwise)
    Check { file: PathBuf },
    /// Print the kiosk's search results for a query
    Search {
        query: Vec<String>,
        /// Results to print
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

pub fn catalog(command: CatalogCommand, catalog: Option<PathBuf>) -> ExitCode {
    match command {
        CatalogCommand::Check { file } => match setup::load_catalog(Some(&file)) {
            Ok(c) => {
                println!(
                    "{}: OK — {} procedures, {} fields, {} groups{}",
                    file.display(),
                    c.procedures.len(),
                    c.fields_in_use().len(),
                    c.groups.len(),
                    if c.demo { " (demo data)" } else { "" }
                );
                ExitCode::SUCCESS
            }
            Err(Fault::CatalogInvalid { path, problems }) => {
                for p in &problems.0 {
                    println!("{}: {p}", path.display());
                }
                println!("{}: {} problem(s)", path.display(), problems.0.len());
                ExitCode::FAILURE
            }
            Err(Fault::CatalogUnreadable { path, reason }) => {
                println!("{}: cannot read: {reason}", path.display());
                ExitCode::FAILURE
            }
            Err(other) => {
                println!("{other:?}");
                ExitCode::FAILURE
            }
        },
        CatalogCommand::Search { query, limit } => {
            let c: Catalog = match setup::load_catalog(catalog.as_deref()) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("motcua: the catalog cannot be used: {e:?}");
                    return ExitCode::FAILURE;
                }
            };
            let index = search::Index::new(&c);
            let hits = index.search(&query.join(" "));
            let mut out = std::io::stdout().lock();
            for h in hits.iter().take(limit) {
                let p = &c.procedures[h.index];
                let _ = writeln!(out, "{}\t{}\t{}\t{}", p.code, p.group, h.score, p.name);
            }
            if hits.is_empty() {
                let _ = writeln!(out, "(no results)");
            }
            ExitCode::SUCCESS
        }
    }
}
