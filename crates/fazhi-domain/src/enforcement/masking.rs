//! Masking what is published (国办发〔2018〕118号: personal information in published
//! enforcement decisions is masked): a secret replaced wherever it occurs in a snapshot.

/// Replaces every occurrence of `secret` in the snapshot's strings with `with` (an empty
/// secret changes nothing).
pub fn mask_text(v: &serde_json::Value, secret: &str, with: &str) -> serde_json::Value {
    if secret.is_empty() {
        return v.clone();
    }
    match v {
        serde_json::Value::String(s) => serde_json::Value::String(s.replace(secret, with)),
        serde_json::Value::Array(a) => a.iter().map(|x| mask_text(x, secret, with)).collect(),
        serde_json::Value::Object(o) => o
            .iter()
            .map(|(k, x)| (k.clone(), mask_text(x, secret, with)))
            .collect(),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::mask_text;

    #[test]
    fn a_secret_is_replaced_in_every_string_at_any_depth_and_nothing_else_changes() {
        let v = json!({ "party": "王晓明", "paragraphs": ["当事人：王晓明", "经查"], "fine": 5, "王晓明": true });
        let m = mask_text(&v, "王晓明", "王**");
        assert_eq!(
            m,
            json!({ "party": "王**", "paragraphs": ["当事人：王**", "经查"], "fine": 5, "王晓明": true })
        );
        assert_eq!(mask_text(&v, "", "x"), v);
    }
}
