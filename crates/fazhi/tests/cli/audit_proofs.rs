//! `fazhi audit prove` against a real database and `fazhi audit check-proof` with nothing but
//! the proof file: a proof holds; a changed entry, a changed path or a checkpoint of another key
//! fails it.

use std::path::Path;

use crate::{fazhi, stdout, temp_dir};

fn add_orgs(d: &Path, codes: &[&str]) {
    for (i, code) in codes.iter().enumerate() {
        let parent = if *code == "zz" { None } else { Some("zz") };
        let name = format!("测试单位{i}{code}");
        let kind = if parent.is_some() {
            "division"
        } else {
            "bureau"
        };
        let mut args = vec![
            "org", "add", "--code", code, "--name", &name, "--kind", kind,
        ];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        let o = fazhi(d, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

fn check(file: &Path, key: Option<&str>) -> (bool, String) {
    let mut args = vec!["audit", "check-proof", file.to_str().unwrap()];
    if let Some(k) = key {
        args.extend(["--public-key", k]);
    }
    // No database is needed: the check runs against an empty directory.
    let empty = temp_dir();
    let o = fazhi(&empty, &args);
    assert!(
        !empty.join("fazhi.db").exists(),
        "check-proof opened a database"
    );
    (o.status.success(), stdout(&o))
}

#[test]
fn a_proof_from_the_database_holds_alone_and_a_tampered_one_fails() {
    let d = temp_dir();
    add_orgs(&d, &["zz", "a1", "a2", "a3", "a4"]);
    assert!(fazhi(&d, &["audit", "checkpoint"]).status.success());
    let o = fazhi(&d, &["audit", "prove", "--seq", "3"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let file = d.join("proof.json");
    std::fs::write(&file, stdout(&o)).unwrap();
    let proof: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(proof["leaf_index"], 2);
    assert_eq!(proof["tree_size"], 5);
    assert!(proof["entry"].as_str().unwrap().contains("a2"));
    let key = proof["checkpoint"]["public_key"]
        .as_str()
        .unwrap()
        .to_string();

    let (ok, said) = check(&file, Some(&key));
    assert!(ok, "{said}");
    assert!(said.contains("第 3 条记录包含在"), "{said}");

    // The entry's text changed.
    let mut changed = proof.clone();
    changed["entry"] = proof["entry"]
        .as_str()
        .unwrap()
        .replace("测试单位", "别的单位")
        .into();
    std::fs::write(&file, changed.to_string()).unwrap();
    let (ok, said) = check(&file, None);
    assert!(!ok);
    assert!(said.contains("证明不成立"), "{said}");

    // One hex digit of the path changed.
    let mut changed = proof.clone();
    let first = proof["audit_path"][0].as_str().unwrap();
    let flipped = if first.starts_with('0') { "1" } else { "0" };
    changed["audit_path"][0] = format!("{flipped}{}", &first[1..]).into();
    std::fs::write(&file, changed.to_string()).unwrap();
    assert!(!check(&file, None).0);

    // Another tree size than the checkpoint's.
    let mut changed = proof.clone();
    changed["tree_size"] = 4.into();
    std::fs::write(&file, changed.to_string()).unwrap();
    assert!(!check(&file, None).0);

    // The true proof, but checked against another chain's key.
    std::fs::write(&file, stdout(&o)).unwrap();
    let (ok, said) = check(&file, Some(&"ab".repeat(32)));
    assert!(!ok);
    assert!(said.contains("另一条审计链"), "{said}");
}

#[test]
fn a_consistency_proof_between_two_checkpoints_holds_and_fails_when_changed() {
    let d = temp_dir();
    add_orgs(&d, &["zz", "b1", "b2"]);
    assert!(fazhi(&d, &["audit", "checkpoint"]).status.success());
    add_orgs(&d, &["b3", "b4", "b5", "b6"]);
    assert!(fazhi(&d, &["audit", "checkpoint"]).status.success());
    let o = fazhi(&d, &["audit", "prove", "--from", "3", "--to", "7"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let file = d.join("consistency.json");
    std::fs::write(&file, stdout(&o)).unwrap();
    let (ok, said) = check(&file, None);
    assert!(ok, "{said}");
    assert!(said.contains("第 3 条检查点"), "{said}");

    let mut changed: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    changed["first"]["tree_root"] = "00".repeat(32).into();
    std::fs::write(&file, changed.to_string()).unwrap();
    let (ok, said) = check(&file, None);
    assert!(!ok);
    assert!(said.contains("签名无效"), "{said}");

    // A checkpoint that does not exist is refused in Chinese.
    let o = fazhi(&d, &["audit", "prove", "--from", "2", "--to", "7"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("检查点"));
}

#[test]
fn with_sm3_and_sm2_configured_the_chain_verifies_and_a_proof_holds() {
    let d = temp_dir();
    add_orgs(&d, &["zz", "c1"]);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .arg("--data-dir")
            .arg(&d)
            .args(args)
            .env_remove("FAZHI_DATABASE_URL")
            .env("FAZHI_AUDIT_HASH_ALGORITHM", "sm3")
            .env("FAZHI_AUDIT_SIGNATURE_ALGORITHM", "sm2")
            .output()
            .unwrap()
    };
    let o = run(&[
        "org",
        "add",
        "--code",
        "c2",
        "--name",
        "国密测试单位",
        "--kind",
        "division",
        "--parent",
        "zz",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(run(&["audit", "checkpoint"]).status.success());
    assert!(d.join("audit-signing-sm2.key").exists());
    let o = run(&["audit", "verify"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let o = run(&["audit", "prove", "--seq", "4"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let proof: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(proof["checkpoint"]["sig_alg"], "sm2");
    assert!(proof["entry"].as_str().unwrap().ends_with(",\"sm3\"]"));
    let file = d.join("sm.json");
    std::fs::write(&file, stdout(&o)).unwrap();
    let key = proof["checkpoint"]["public_key"]
        .as_str()
        .unwrap()
        .to_string();
    let (ok, said) = check(&file, Some(&key));
    assert!(ok, "{said}");
    let mut changed = proof.clone();
    changed["checkpoint"]["sig_alg"] = "ed25519".into();
    std::fs::write(&file, changed.to_string()).unwrap();
    assert!(!check(&file, None).0);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(&d)
        .args(["audit", "verify"])
        .env("FAZHI_AUDIT_HASH_ALGORITHM", "md5")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("sha256 或 sm3"));
}
