//! The party of a record — who applies, requests or is penalised — as every capability checks,
//! shows and masks it: a person (公民, GB 11643 identity number) or an organisation (法人或者其他
//! 组织, GB 32100 unified social credit code). Each capability's form names the fields its own
//! way (`Form`); the rules are the same.

use crate::enforcement::PartyKind;
use crate::identity::{check_credit_code, check_id_number, mask_id_number, mask_person_name};
use crate::validate::{self, FieldError};

/// How a form names its party: the prefix of the field names and the word for the party in
/// the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    /// Prefix of the field names: `party` gives `party_name`, `party_id_no`…
    pub prefix: &'static str,
    /// The party in labels: 当事人, 申请人.
    pub title: &'static str,
}

/// The party of a penalty case (当事人).
pub const CASE_PARTY: Form = Form {
    prefix: "party",
    title: "当事人",
};

/// The requester of a disclosure or the applicant for a licence (申请人).
pub const REQUESTER: Form = Form {
    prefix: "requester",
    title: "申请人",
};

/// A party as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party<'a> {
    /// Person or organisation.
    pub kind: PartyKind,
    /// Name.
    pub name: &'a str,
    /// Identity number or unified social credit code.
    pub id_no: &'a str,
    /// Address (住所 of an organisation, 住址 of a person).
    pub address: &'a str,
}

/// The kind as stored: `person` or `org`.
pub fn kind_str(k: PartyKind) -> &'static str {
    match k {
        PartyKind::Person => "person",
        PartyKind::Organisation => "org",
    }
}

/// The kind from its stored form, `None` for anything else.
pub fn parse_kind(s: &str) -> Option<PartyKind> {
    match s {
        "person" => Some(PartyKind::Person),
        "org" => Some(PartyKind::Organisation),
        _ => None,
    }
}

/// The label of the identity number for a kind.
pub fn id_label(k: PartyKind) -> &'static str {
    match k {
        PartyKind::Organisation => "统一社会信用代码",
        PartyKind::Person => "公民身份号码",
    }
}

/// The party's name: 2 to 100 characters.
pub fn check_name(form: Form, name: &str) -> Result<String, FieldError> {
    validate::text(
        &format!("{}_name", form.prefix),
        &format!("{}名称", form.title),
        name,
        2,
        100,
    )
}

/// The identity number for the kind, normalised to upper case: the check digit of a credit code
/// (GB 32100) or of an identity number (GB 11643).
pub fn check_id_no(form: Form, kind: PartyKind, id_no: &str) -> Result<String, FieldError> {
    let id = id_no.trim().to_uppercase();
    let checked = match kind {
        PartyKind::Organisation => check_credit_code(&id),
        PartyKind::Person => check_id_number(&id),
    };
    match checked {
        Ok(()) => Ok(id),
        Err(m) => Err(FieldError::new(
            &format!("{}_id_no", form.prefix),
            id_label(kind),
            &format!("有误：{m}"),
        )),
    }
}

/// The party of a penalty case: name, identity number for the kind, address. Every problem is
/// reported, each naming its field.
pub fn check_case_party(
    kind: PartyKind,
    name: &str,
    id_no: &str,
    address: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(e) = check_name(CASE_PARTY, name) {
        errors.push(e);
    }
    if let Err(e) = check_id_no(CASE_PARTY, kind, id_no) {
        errors.push(e);
    }
    if let Err(e) = validate::text("party_address", "住所（住址）", address, 2, 200) {
        errors.push(e);
    }
    errors
}

/// A requester or applicant as entered on a form: kind (`person` or `org`), name, identity
/// number for the kind, contact. Returns them checked and normalised (kind, name, number,
/// contact), or every problem, each naming its field.
pub fn check_requester(
    kind: &str,
    name: &str,
    id_no: &str,
    contact: &str,
) -> Result<(String, String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let parsed = parse_kind(kind);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "requester_kind",
            "申请人类型",
            "请选择公民或法人/其他组织",
        ));
    }
    let name = check_name(REQUESTER, name)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let id_no = match parsed {
        Some(k) => check_id_no(REQUESTER, k, id_no)
            .map_err(|e| errors.push(e))
            .unwrap_or_default(),
        None => id_no.trim().to_uppercase(),
    };
    let contact = validate::text("contact", "联系方式", contact, 5, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    match parsed {
        Some(k) if errors.is_empty() => Ok((kind_str(k).to_string(), name, id_no, contact)),
        _ => Err(errors),
    }
}

impl Party<'_> {
    /// The party as published: an organisation in full, a person's name partly masked and
    /// identity number masked (name, identity number).
    pub fn masked(&self) -> (String, String) {
        match self.kind {
            PartyKind::Organisation => (self.name.to_string(), self.id_no.to_string()),
            PartyKind::Person => (mask_person_name(self.name), mask_id_number(self.id_no)),
        }
    }

    /// The party's line at the head of a document.
    pub fn line(&self) -> String {
        match self.kind {
            PartyKind::Organisation => format!(
                "当事人：{}，统一社会信用代码：{}，住所：{}",
                self.name, self.id_no, self.address
            ),
            PartyKind::Person => format!(
                "当事人：{}，公民身份号码：{}，住址：{}",
                self.name, self.id_no, self.address
            ),
        }
    }
}

/// A name as published: an organisation's in full, a person's partly masked.
pub fn masked_name(kind: PartyKind, name: &str) -> String {
    match kind {
        PartyKind::Organisation => name.to_string(),
        PartyKind::Person => mask_person_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "91410105MA44XK7P0F";
    const PERSON: &str = "11010519491231002X";

    #[test]
    fn a_good_party_passes_and_numbers_are_normalised() {
        assert!(
            check_case_party(
                PartyKind::Organisation,
                "惠民便利店",
                ORG,
                "郑州市金水路1号"
            )
            .is_empty()
        );
        assert_eq!(
            check_id_no(CASE_PARTY, PartyKind::Person, " 11010519491231002x ").unwrap(),
            PERSON
        );
    }

    #[test]
    fn every_problem_is_named_by_its_field_with_the_label_of_the_kind() {
        let e = check_case_party(PartyKind::Person, "王", ORG, "");
        let fields: Vec<&str> = e.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["party_name", "party_id_no", "party_address"]);
        assert!(e[1].message.starts_with("「公民身份号码」有误："), "{e:?}");
        let e = check_id_no(CASE_PARTY, PartyKind::Organisation, PERSON).unwrap_err();
        assert!(e.message.starts_with("「统一社会信用代码」有误："), "{e:?}");
        let e = check_name(REQUESTER, "").unwrap_err();
        assert_eq!(e.field, "requester_name");
        assert!(e.message.starts_with("「申请人名称」"), "{e:?}");
    }

    #[test]
    fn a_person_is_masked_and_an_organisation_is_not() {
        let p = Party {
            kind: PartyKind::Person,
            name: "王晓明",
            id_no: PERSON,
            address: "郑州市",
        };
        let (name, id) = p.masked();
        assert_ne!(name, "王晓明");
        assert!(name.starts_with('王'));
        assert_ne!(id, PERSON);
        assert!(p.line().starts_with("当事人：王晓明，公民身份号码："));
        let o = Party {
            kind: PartyKind::Organisation,
            name: "惠民便利店",
            id_no: ORG,
            address: "金水路",
        };
        assert_eq!(o.masked(), ("惠民便利店".to_string(), ORG.to_string()));
        assert_eq!(
            masked_name(PartyKind::Organisation, "惠民便利店"),
            "惠民便利店"
        );
        assert_eq!(
            parse_kind(kind_str(PartyKind::Person)),
            Some(PartyKind::Person)
        );
        assert_eq!(parse_kind("other"), None);
    }
}
