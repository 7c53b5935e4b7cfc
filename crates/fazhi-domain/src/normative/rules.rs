//! The local rules of normative documents (`data/normative/rules.toml`): validity periods, the
//! reminder before a period lapses, the document word of each bureau and the authority it files
//! with. No national rule fixes these; they are data (LAW.md: set locally, to be verified).

use serde::Deserialize;

use super::DocKind;

/// One bureau's document word and filing authority.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bureau {
    /// The bureau's name as in the org tree.
    pub bureau: String,
    /// 机关代字 of its normative documents (郑商规).
    pub word: String,
    /// 备案机关.
    pub filing_authority: String,
}

/// The rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Years a regular document is valid.
    pub validity_years_regular: u8,
    /// Years an interim or trial document is valid.
    pub validity_years_interim: u8,
    /// Days before the lapse from which a document is listed for renewal or clean-up.
    pub lapse_reminder_days: u32,
    /// The source of the validity periods, shown with them.
    pub validity_basis: String,
    /// Document words and filing authorities by bureau.
    #[serde(default)]
    pub bureaus: Vec<Bureau>,
}

impl Rules {
    /// The rules shipped in `data/normative/rules.toml`.
    pub fn shipped() -> Result<Self, String> {
        Self::parse(include_str!("../../../../data/normative/rules.toml"))
    }

    /// Parses and checks a rules file.
    pub fn parse(s: &str) -> Result<Self, String> {
        let r: Rules = toml::from_str(s).map_err(|e| format!("规范性文件规则文件有误：{e}"))?;
        if r.validity_years_regular == 0 || r.validity_years_interim == 0 {
            return Err("规范性文件的有效期不能为 0 年".into());
        }
        if r.validity_years_interim > r.validity_years_regular {
            return Err("暂行、试行文件的有效期不应长于一般文件".into());
        }
        Ok(r)
    }

    /// Years of validity for a kind.
    pub fn validity_years(&self, kind: DocKind) -> u8 {
        match kind {
            DocKind::Regular => self.validity_years_regular,
            DocKind::Interim => self.validity_years_interim,
        }
    }

    /// The document word of a bureau: its own, or the first two characters of its name + 商规.
    pub fn word(&self, bureau: &str) -> String {
        self.bureaus
            .iter()
            .find(|b| b.bureau == bureau)
            .map_or_else(
                || format!("{}商规", bureau.chars().take(2).collect::<String>()),
                |b| b.word.clone(),
            )
    }

    /// The authority a bureau files with: its own, or "本级人民政府".
    pub fn filing_authority(&self, bureau: &str) -> String {
        self.bureaus
            .iter()
            .find(|b| b.bureau == bureau)
            .map_or_else(
                || "本级人民政府".to_string(),
                |b| b.filing_authority.clone(),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_give_five_years_two_for_interim_and_the_city_word() {
        let r = Rules::shipped().unwrap();
        assert_eq!(r.validity_years(DocKind::Regular), 5);
        assert_eq!(r.validity_years(DocKind::Interim), 2);
        assert_eq!(r.word("郑州市商务局"), "郑商规");
        assert_eq!(r.word("二七区商务局"), "二七商规");
        assert_eq!(r.filing_authority("郑州市商务局"), "郑州市人民政府");
    }

    #[test]
    fn a_rules_file_with_a_zero_period_or_a_longer_interim_period_is_refused() {
        let base = "validity_years_regular = 5\nvalidity_years_interim = 2\nlapse_reminder_days = 90\nvalidity_basis = \"x\"\n";
        assert!(Rules::parse(base).is_ok());
        assert!(Rules::parse(&base.replace("= 5", "= 0")).is_err());
        assert!(Rules::parse(&base.replace("interim = 2", "interim = 7")).is_err());
        assert!(Rules::parse(&format!("{base}unknown = 1\n")).is_err());
    }
}
