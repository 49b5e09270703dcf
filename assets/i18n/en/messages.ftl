# Errors of the domain as the officer and the citizen read them: citizen
# inputs (CCCD number, phone, tax code, the card's QR), receipts, printers.

## The fields of a CCCD card's QR
qr-field-id = ID number
qr-field-old-id = old ID number
qr-field-name = name
qr-field-birth = date of birth
qr-field-gender = gender
qr-field-address = address
qr-field-issued = date of issue

## Reading the QR of either card generation by the shape of its fields
qr-card-chip-cccd = chip CCCD card
qr-card-can-cuoc = căn cước card
qr-card-unknown = card of unknown kind
qr-shape-digits = { $count } digits
qr-shape-date = a date
qr-shape-future-date = a date after today
qr-shape-text = text
qr-unrecognised = field { $position } ({ $shape }): «{ $preview }»

## Citizen inputs
citizen-cccd-empty = CCCD number is empty
citizen-cccd-not-digit = CCCD number must contain only digits: character { $position } is { $found_quoted }
citizen-cccd-length = CCCD number must have 12 digits, found { $found }
citizen-cccd-unknown-province = CCCD number starts with { $code }, which is neither a province code (001–096) nor a country code (101–295)
citizen-cccd-century-mismatch = CCCD number's 4th digit is { $digit }, meaning born { $from }–{ $to }, but the date of birth is in { $birth_from }–{ $birth_to }
citizen-cccd-year-mismatch = CCCD number's 5th and 6th digits must be the last two digits of the year of birth
citizen-phone-empty = phone number is empty
citizen-phone-invalid-char = phone number may contain only digits, spaces, dots and dashes (and a leading +): found { $found_quoted }
citizen-phone-country-code = only Vietnamese phone numbers (+84) are accepted
citizen-phone-length-international = phone number must have { $expected } digits after +84, found { $found }
citizen-phone-length = phone number must have { $expected } digits starting with 0, found { $found }
citizen-phone-leading-zero = a 10-digit phone number must start with 0
citizen-phone-international-prefix = phone number must not start with 00 (international prefix): write +84 or 0 followed by the number
citizen-tax-code-empty = tax code is empty
citizen-tax-code-invalid-char = tax code must be digits with one dash after the 10th: character { $position } is { $found_quoted }
citizen-tax-code-length = tax code must have 10 digits (or 10 digits, '-', 3 digits), found { $found }
citizen-tax-code-branch-length = tax code branch part (after '-') must have 3 digits, found { $found }
citizen-tax-code-branch-zero = tax code branch part must be 001–999, not 000
citizen-qr-not-utf8 = card QR is not valid UTF-8 (bad byte at offset { $offset }); check the scanner's keyboard/encoding setting
citizen-qr-empty = card QR is empty
citizen-qr-field-count = card QR must have 7 fields separated by '|' (or 6 on older cards), found { $found }
citizen-qr-empty-field = card QR: the { $field } field is empty
citizen-qr-control-char = card QR: the { $field } field contains a control character
citizen-qr-id = card QR: ID number field: { $reason }
citizen-qr-old-id = card QR: the old ID number field must be empty or 9 or 12 digits
citizen-qr-name-digit = card QR: the name field contains a digit (fields out of place?)
citizen-qr-date-format = card QR: the { $field } field must be a date written ddmmyyyy (8 digits)
citizen-qr-date-invalid = card QR: the { $field } field is not a real date (day or month out of range)
citizen-qr-gender = card QR: the gender field must be "Nam" or "Nữ"
citizen-qr-gender-mismatch = card QR: gender field says { $qr } but the ID number encodes { $id }
citizen-qr-birth-in-future = card QR: the date of birth is after today
citizen-qr-issued-before-birth = card QR: the date of issue is before the date of birth
citizen-qr-issued-in-future = card QR: the date of issue is after today
citizen-qr-nothing-recognised = card QR: none of its { $fields } fields reads as an ID number, a date, a gender, a name or an address

## Receipts read back at the counter
receipt-error-malformed = not a motcua receipt (it does not start with MC and a version)
receipt-error-unknown-version = receipt format version { $version } is not known to this version of motcua
receipt-error-damaged = the receipt text is damaged: { $reason }
receipt-error-unknown-key = no public key { $key_id } is known for office { $office }
receipt-error-bad-signature = the signature does not match: the receipt was altered or forged
receipt-error-too-long = a field is too long to fit a receipt: { $reason }
receipt-error-sample = a sample receipt (MẪU / SAMPLE), signed with a throwaway key: not a real receipt
receipt-error-retired-key = receipt key { $key_id } of office { $office } was retired at { $retired }, and the receipt says it was signed at { $signed }, after that: it is not valid
receipt-key-retired-after = key { $key_id } was retired at { $retired }, after this receipt was signed

## Printers
print-error-no-device = no printer at { $where }
print-error-cover-open = the printer cover is open
print-error-paper-out = the printer is out of paper
print-error-offline = the printer is offline or in error
print-error-no-answer = the printer does not answer
print-error-io = printing failed: { $reason }

## The legal receipt's own words (printed in Vietnamese; English for reference)
receipt-form-same-day = Within the working day
receipt-form-working-days = { $days } working days
receipt-form-register = Entered in the dossier register: code { $code }
receipt-form-no-fee = No fees or charges
receipt-form-fee-waived = waived
receipt-form-amount = { $amount } dong

## Fees by VietQR
vietqr-no-account = A fee is due but no bank account is configured for VietQR: set `[payment] account` (with bank_bin and account_name)
vietqr-bank-bin = The bank BIN (`[payment] bank_bin`) must be exactly 6 digits
vietqr-account = The account number (`[payment] account`) must be 1 to 19 letters or digits, with no spaces or signs
vietqr-amount = The fee amount must be from 1 to 9.999.999.999.999 dong, not { $found }
vietqr-purpose-empty = The dossier code is empty: the transfer content (VietQR 62/08) needs it
vietqr-purpose-char = The transfer content (VietQR 62/08) may hold only letters A–Z, digits and spaces: character { $position } is { $found_quoted }
vietqr-purpose-length = The transfer content (VietQR 62/08: the dossier code without dots and dashes) has { $found } characters; at most { $max } fit
vietqr-field-length = VietQR field { $tag } would hold { $found } characters; a field holds 1 to 99
