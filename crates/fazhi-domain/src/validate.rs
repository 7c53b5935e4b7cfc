//! Validation of what people type: every message is Chinese and names the field.

use serde::Serialize;

/// One field that failed validation. `field` is the form/JSON name, `label` its Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the form or the JSON body.
    pub field: String,
    /// The message shown beside the field; it names the field in Chinese.
    pub message: String,
}

impl FieldError {
    /// A message about `field`, whose Chinese name is `label`.
    pub fn new(field: &str, label: &str, problem: &str) -> Self {
        Self {
            field: field.to_string(),
            message: format!("「{label}」{problem}"),
        }
    }
}

/// Trims `raw` and checks its length in characters; an empty value is "required".
pub fn text(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let v = raw.trim();
    let n = v.chars().count();
    if n == 0 && min > 0 {
        return Err(FieldError::new(field, label, "不能为空"));
    }
    if n < min {
        return Err(FieldError::new(
            field,
            label,
            &format!("至少需要 {min} 个字符"),
        ));
    }
    if n > max {
        return Err(FieldError::new(
            field,
            label,
            &format!("不能超过 {max} 个字符"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(FieldError::new(field, label, "不能包含控制字符"));
    }
    Ok(v.to_string())
}

/// A sign-in name: 3–32 characters of lower-case letters, digits, `.`, `_` or `-`.
pub fn username(field: &str, raw: &str) -> Result<String, FieldError> {
    let v = text(field, "用户名", raw, 3, 32)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err(FieldError::new(
            field,
            "用户名",
            "只能包含小写字母、数字和 . _ -",
        ));
    }
    Ok(v)
}

/// A short code for an org: 2–32 characters of lower-case letters, digits or `-`.
pub fn code(field: &str, label: &str, raw: &str) -> Result<String, FieldError> {
    let v = text(field, label, raw, 2, 32)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(FieldError::new(
            field,
            label,
            "只能包含小写字母、数字和连字符",
        ));
    }
    Ok(v)
}

/// The password policy (等保2.0 level 3, identification and authentication: passwords of a
/// complexity that resists guessing): at least 10 characters and at most 128, with three of the
/// four kinds — lower-case letters, upper-case letters, digits, other characters.
pub fn password(field: &str, raw: &str) -> Result<String, FieldError> {
    let n = raw.chars().count();
    if n < 10 {
        return Err(FieldError::new(field, "密码", "至少需要 10 个字符"));
    }
    if n > 128 {
        return Err(FieldError::new(field, "密码", "不能超过 128 个字符"));
    }
    let kinds = [
        raw.chars().any(|c| c.is_ascii_lowercase()),
        raw.chars().any(|c| c.is_ascii_uppercase()),
        raw.chars().any(|c| c.is_ascii_digit()),
        raw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(FieldError::new(
            field,
            "密码",
            "须包含大写字母、小写字母、数字和符号中的至少三类",
        ));
    }
    Ok(raw.to_string())
}

/// `password`, and not the person's user name, nor containing it (in any case).
pub fn password_of(field: &str, raw: &str, username: &str) -> Result<String, FieldError> {
    let p = password(field, raw)?;
    let name = username.trim().to_lowercase();
    if !name.is_empty() && p.to_lowercase().contains(&name) {
        return Err(FieldError::new(field, "密码", "不能包含用户名"));
    }
    Ok(p)
}

/// A record version from a form or an `If-Match` header: a positive integer.
pub fn version(field: &str, raw: &str) -> Result<i64, FieldError> {
    let v = raw.trim().trim_matches('"');
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(FieldError::new(field, "版本号", "必须是正整数")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_required_field_names_itself_in_chinese() {
        let e = text("name", "单位名称", "   ", 1, 10).unwrap_err();
        assert_eq!(e.field, "name");
        assert_eq!(e.message, "「单位名称」不能为空");
    }

    #[test]
    fn a_too_long_value_says_the_limit() {
        let e = text("name", "单位名称", "一二三四五六", 1, 5).unwrap_err();
        assert!(e.message.contains("不能超过 5 个字符"));
    }

    #[test]
    fn usernames_are_lowercase_ascii() {
        assert!(username("u", "zhang.san").is_ok());
        assert!(username("u", "张三").is_err());
        assert!(username("u", "Zhang").is_err());
    }

    #[test]
    fn passwords_need_ten_characters_of_three_kinds_and_not_the_user_name() {
        assert!(password("p", "abc123").is_err());
        assert!(password("p", "abcdefghijk").is_err());
        assert!(password("p", "abcdefgh12").is_err(), "two kinds only");
        assert!(password("p", "ABCDEFGH1!").is_ok(), "upper, digit, symbol");
        assert!(password("p", "Abcdefgh12").is_ok(), "lower, upper, digit");
        assert!(password("p", "Fazhi@2026x").is_ok());
        assert!(password_of("p", "Zhang.San-2026", "zhang.san").is_err());
        assert!(password_of("p", "Fazhi@2026x", "zhang.san").is_ok());
    }

    #[test]
    fn versions_accept_quoted_etags_and_refuse_garbage() {
        assert_eq!(version("v", "\"3\"").unwrap(), 3);
        assert!(version("v", "abc").is_err());
        assert!(version("v", "0").is_err());
    }
}
