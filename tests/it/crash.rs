//! A kiosk killed with SIGKILL in the middle of issuing tickets: after a
//! restart no number repeats and no ticket that was shown is lost.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use motcua::store::Store;

#[test]
fn sigkill_mid_burst_loses_nothing_and_repeats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Every number the child reported as committed, per day.
    let mut shown: BTreeMap<String, Vec<u32>> = BTreeMap::new();

    for round in 0..6 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["dev", "issue-burst", "--group", "A", "--count", "1000000", "--data-dir"])
            .arg(dir.path())
            .env("MOTCUA_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the motcua binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it get going, a different distance each round, then kill it
        // while it is still writing.
        for _ in 0..(40 + round * 53) {
            let line = lines.next().expect("the child is issuing").unwrap();
            record(&mut shown, &line);
        }
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        // Lines already in the pipe were printed after their commit too.
        for line in lines.map_while(Result::ok) {
            record(&mut shown, &line);
        }
    }

    let store = Store::open(dir.path()).expect("the store opens after the crashes");
    for (day, numbers) in &shown {
        let stored: Vec<u32> = store
            .numbers_of_day(day.parse().unwrap())
            .unwrap()
            .into_iter()
            .filter(|n| n.group == "A")
            .map(|n| n.number)
            .collect();
        let unique: BTreeSet<u32> = numbers.iter().copied().collect();
        assert_eq!(unique.len(), numbers.len(), "a number was shown twice on {day}");
        let stored_set: BTreeSet<u32> = stored.iter().copied().collect();
        assert_eq!(stored_set.len(), stored.len(), "a number is stored twice on {day}");
        assert!(unique.is_subset(&stored_set), "a shown ticket was lost on {day}");
        // Numbers run 1, 2, 3 … without a gap or a reuse across restarts.
        let expected: Vec<u32> = (1..=stored.len() as u32).collect();
        assert_eq!(stored, expected, "numbers on {day} are not contiguous");
    }
    let total: usize = shown.values().map(Vec::len).sum();
    assert!(total >= 6 * 40, "only {total} tickets were shown");
}

fn record(shown: &mut BTreeMap<String, Vec<u32>>, line: &str) {
    let (day, number) = line.split_once(' ').expect("`day number` lines");
    let n: u32 = number.strip_prefix("A-").expect("group A").parse().unwrap();
    shown.entry(day.to_string()).or_default().push(n);
}
