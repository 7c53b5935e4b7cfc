//! Identifiers of parties: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999),
//! and the masking the public portal applies to personal data.

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// GB 32100-2015 第 4.3 条: weights of positions 1–17.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
// GB 11643-1999 第 7 条 (ISO 7064 MOD 11-2): weights of positions 1–17 and the check characters.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Checks a 统一社会信用代码 against GB 32100-2015: 18 characters from the 31-character
/// alphabet (no I, O, S, V, Z) and the check character `(31 − Σ mod 31) mod 31`.
pub fn check_credit_code(code: &str) -> Result<(), &'static str> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err("统一社会信用代码应为 18 位（GB 32100-2015）");
    }
    let mut values = Vec::with_capacity(18);
    for c in &chars {
        match CREDIT_ALPHABET.find(*c) {
            Some(v) => values.push(v as u32),
            None => {
                return Err("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z 及小写字母）");
            }
        }
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    if values[17] != check {
        return Err("统一社会信用代码校验位不正确（GB 32100-2015）");
    }
    Ok(())
}

/// Completes a credit code: the check character for its first 17 characters (GB 32100-2015),
/// or `None` if they are not 17 characters of the code's alphabet. Used to make valid demo and
/// test data.
pub fn credit_code_with_check(first17: &str) -> Option<String> {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| CREDIT_ALPHABET.find(c).map(|v| v as u32))
        .collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let check = CREDIT_ALPHABET
        .chars()
        .nth(((31 - sum % 31) % 31) as usize)?;
    Some(format!("{first17}{check}"))
}

/// The ID number for its first 17 digits, with the GB 11643-1999 check character added.
pub fn id_number_with_check(first17: &str) -> Option<String> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(ID_WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(format!("{first17}{}", ID_CHECK[(sum % 11) as usize]))
}

/// Checks a 公民身份号码 against GB 11643-1999: 17 digits with a valid birth date and the
/// MOD 11-2 check character.
pub fn check_id_number(id: &str) -> Result<(), &'static str> {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err("公民身份号码应为 18 位（GB 11643-1999）");
    }
    let mut sum = 0;
    for (c, w) in chars[..17].iter().zip(ID_WEIGHTS) {
        match c.to_digit(10) {
            Some(d) => sum += d * w,
            None => return Err("公民身份号码前 17 位应为数字"),
        }
    }
    let birth: String = chars[6..14].iter().collect();
    let format = time::macros::format_description!("[year][month][day]");
    if time::Date::parse(&birth, &format).is_err() {
        return Err("公民身份号码中的出生日期无效");
    }
    if chars[17] != ID_CHECK[(sum % 11) as usize] {
        return Err("公民身份号码校验码不正确（GB 11643-1999）");
    }
    Ok(())
}

/// Masks an ID number for public display: the first 6 and the last character stay.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail = chars[chars.len() - 1];
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Masks a person's name for public display: the family name stays (张三 → 张*, 欧阳娜娜 → 欧***).
pub fn mask_person_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_example_credit_code_is_valid_and_a_wrong_check_character_is_not() {
        assert!(check_credit_code("91350100M000100Y43").is_ok());
        assert!(check_credit_code("91350100M000100Y4A").is_err());
        assert!(check_credit_code("91350100M000100Y4").is_err());
        assert!(check_credit_code("91350100M000100YO3").is_err());
    }

    #[test]
    fn a_completed_credit_code_passes_the_check() {
        assert_eq!(
            credit_code_with_check("91350100M000100Y4").as_deref(),
            Some("91350100M000100Y43")
        );
        let made = credit_code_with_check("91410105MA44XK7P0").unwrap();
        assert!(check_credit_code(&made).is_ok());
        assert!(credit_code_with_check("short").is_none());
    }

    #[test]
    fn id_numbers_are_checked_by_mod_11_2() {
        assert!(check_id_number("11010519491231002X").is_ok());
        assert!(check_id_number("440524188001010014").is_ok());
        assert!(check_id_number("130402198207290622").is_err());
        assert!(check_id_number("110105194913310021").is_err());
    }

    #[test]
    fn personal_data_is_masked_for_the_public() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105***********X");
        assert_eq!(mask_person_name("张三"), "张*");
        assert_eq!(mask_person_name("欧阳娜娜"), "欧***");
    }
}
