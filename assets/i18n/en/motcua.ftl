# motcua interface strings — English (second language).
# Every key here must also be in vi/motcua.ftl; a test fails otherwise.

## Common
app-title = One-Stop Shop
demo-badge = Demo data
back = Back
home = Start
lang-switch = Language
lang-vi = Tiếng Việt
lang-en = English
date-line = { $weekday }, { $date }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
retry = Try again

## Link to central
sync-online = Connected
sync-sending = Sending { $count ->
    [one] 1 record
   *[other] { $count } records
}
sync-offline = Offline since { $time } · { $count } waiting to send

## Welcome
welcome-greeting = Welcome
welcome-prompt = What can we help you with today? Touch one of the boxes below.
action-ticket = Take a queue ticket
action-ticket-hint = Get a number and wait for your turn
action-procedures = Administrative procedures
action-procedures-hint = Documents to bring, fees, processing time
action-lookup = Look up a dossier
action-lookup-hint = See where your submitted dossier stands
action-rate = Rate our service
action-rate-hint = Tell us how we served you
notice-branding = { $file } has errors, so the built-in version is used. IT staff: see the log.

## Service groups
groups-title = Choose a service
groups-prompt = Each group has its own queue. Not sure which one? Find it by procedure.
groups-waiting = { $count ->
    [0] Nobody waiting
    [one] 1 person waiting
   *[other] { $count } people waiting
}
groups-find-procedure = Find by procedure

## Fields and procedures
fields-title = Choose a field
fields-prompt = Or search by the name of the procedure.
fields-count = { $count ->
    [one] 1 procedure
   *[other] { $count } procedures
}
search-open = Search procedures
procedures-count = { $count ->
    [one] 1 procedure in this field
   *[other] { $count } procedures in this field
}
processing-days = { $days ->
    [0] Same working day
    [one] 1 working day
   *[other] { $days } working days
}

## Search
search-title = Find a procedure
search-placeholder = Type the name of a procedure, with or without accents
search-results = { $count ->
    [one] 1 result
   *[other] { $count } results
}
search-none = No matching procedure. Try other words, or choose by field.
search-more = { $count } more results: type more letters to narrow them down.
key-space = Space
key-backspace = Delete
key-clear = Clear
key-tone-sac = Rising tone mark (sắc)
key-tone-huyen = Falling tone mark (huyền)
key-tone-hoi = Hook tone mark (hỏi)
key-tone-nga = Tilde tone mark (ngã)
key-tone-nang = Dot tone mark (nặng)
key-tone-ngang = No tone mark

## Procedure detail
detail-code = Procedure code
detail-field = Field
detail-level = Level
level-commune = Commune / ward level
level-district = District level (former)
level-province = Province / city level
detail-time = Processing time
detail-fees = Fees and charges
fee-free = Free of charge
fee-amount = { $amount } VND
fee-online = Filed online: { $amount } ({ $saving } VND less)
detail-documents = Documents to bring
doc-originals = { $count ->
    [one] 1 original
   *[other] { $count } originals
}
doc-copies = { $count ->
    [one] 1 copy
   *[other] { $count } copies
}
detail-result = What you receive
detail-agency = Deciding agency
detail-interlinked = Interlinked procedure across several agencies
detail-group = Served by group { $letter }: { $name }
detail-take-ticket = Take a ticket for this procedure
detail-demo-note = Demonstration data. Please ask the staff for exact guidance.

## Lane
lane-title = Which line is yours?
lane-for = Group { $letter }: { $name }
lane-normal = Regular line
lane-normal-hint = For everyone
lane-priority = Priority line
lane-priority-hint = Older people, people with disabilities, pregnant women, people with merit to the nation
lane-issuing = Issuing your ticket, one moment please…

## Ticket
ticket-title = Your queue number
ticket-priority = Priority line
ticket-group = Group { $letter }: { $name }
ticket-procedure = Procedure: { $name }
ticket-time = Taken at { $time } on { $date }
ticket-ahead = { $count ->
    [0] You are next
    [one] 1 person ahead of you
   *[other] { $count } people ahead of you
}
ticket-wait-hint = Please watch the display and listen for your number.
ticket-qr-hint = Reference code of your ticket
ticket-print = Print ticket
ticket-printing = Printing…
ticket-printed = Printed. Please take your ticket.
ticket-print-failed = Could not print: { $reason }
ticket-done = Done
ticket-error = We could not issue a ticket. Please try again, or ask a member of staff.

## Idle
idle-title = Are you still there?
idle-countdown = The screen returns to the start in { $seconds } seconds.
idle-continue = Continue

## Rating
rate-title = Are you satisfied with our service today?
rate-satisfied = Satisfied
rate-neutral = Neutral
rate-unsatisfied = Not satisfied
rate-thanks = Thank you for your feedback!
rate-error = Your rating could not be saved. Please try again.
rate-ticket = Service for number { $ticket }
rate-your-answer = You chose:
rate-details-title = What would you like to comment on?
rate-details-hint = Optional: tap to choose, then press Send rating.
rate-criterion-staff = Staff attitude
rate-criterion-time = Processing time
rate-criterion-transparency = Openness and transparency
rate-criterion-facilities = Facilities
rate-comment-empty = No comment yet.
rate-comment-open = Write a comment
rate-comment-title = Your comment
rate-comment-left = { $left } characters left
rate-comment-done = Done
rate-send = Send rating
rate-sending = Sending…
rate-skip = Skip
display-greeting = Welcome
display-counter = Counter { $counter }
display-serving = Now serving number
display-hint = When you are done, please tell us how satisfied you are, right on this screen.

## Lookup

## Faults (a screen for IT staff)
fault-title = This kiosk is out of service
fault-citizen = We are sorry. Please take a number or ask at the help desk.
fault-it = For IT staff
fault-db-corrupt = The database file is damaged or is not a motcua database: { $path }. Move the file aside to keep it and restart; a new file will be created. Do not delete it before a backup.
fault-db-readonly = Cannot write to the data directory { $path }. Check the write permission of the user running motcua and the free disk space, then restart.
fault-db-datadir = Cannot use the data directory { $path }: { $reason }. Check the path in the configuration or the --data-dir option.
fault-db-too-new = The database { $path } was made by a newer motcua. Install the latest version.
fault-db-full = The disk holding { $path } is full: nothing more can be kept. Free some space (old receipts and logs), then restart.
fault-db-other = Database error in { $path }: { $reason }
fault-catalog-invalid = The procedure catalog { $path } has { $count } problem(s). Check it with: motcua catalog check { $path }
fault-catalog-unreadable = Cannot read the procedure catalog { $path }: { $reason }
fault-central = Cannot set up the link to central: { $reason }
fault-config = The configuration file { $path } is invalid: { $reason }

## Receiving counter (officers)
counter-title = Counter { $number }
counter-groups = Serving groups { $groups }
counter-officer = Officer: { $name }
signin-title = Sign in to the counter
signin-id = Officer ID
signin-pin = PIN
signin-submit = Sign in
signin-refused = Wrong officer ID or PIN. { $tries } tries left.
signin-locked = Locked after too many wrong PINs. Try again after { $time }.
signin-demo = Demo data: officer CB01, PIN 123456
signout = Sign out
queue-current = Now serving
queue-none = No ticket called yet
queue-call = Call next
queue-recall = Call again
queue-skip = No-show
queue-complete = Done
queue-transfer = To group
queue-call-number = Call number
queue-transfer-counter = To counter
queue-waiting-line = Group { $group }: { $normal } regular, { $priority } priority
queue-waiting = Waiting
queue-empty = Nobody is waiting
queue-error = Could not do it: { $reason }
queue-unreachable = Central cannot be reached: nothing was done, please try again
queue-refused = Central refused it: { $reason }
tab-intake = Take in a dossier
tab-verify = Scan a receipt
intake-procedure = Procedure
intake-scan = Scan the QR on the ID card to fill in
intake-scan-sides = Chip CCCD: QR on the front · Căn cước card (since 1 July 2024): QR on the back
intake-check = · please check
intake-confirm = Correct
intake-name = Applicant's full name
intake-id = Personal ID number (citizen ID) or tax code
intake-birth = Date of birth (day/month/year)
intake-phone = Phone number
intake-email = Email (optional)
intake-address = Address
intake-by-proxy = Filed under an authorisation (for someone else)
intake-principal-name = Principal's full name
intake-principal-id = Principal's personal ID number / organisation code
intake-principal-phone = Principal's phone number
intake-principal-address = Principal's address
intake-authorisation = Authorisation document (number, date)
intake-principal-problem = Principal: { $reason }
intake-delivery = Collect the result
intake-deliver-counter = At the counter
intake-deliver-post = By public postal service
intake-post-address = Address to post the result to
intake-refusal-reason = Why the dossier is refused
intake-refuse = Refuse, print the form
intake-documents = Documents received
intake-sets = Number of sets
intake-notes = Notes
intake-appointment = Result due: { $date }
intake-calendar-unknown = The holiday calendar has no { $year } yet: check the due date.
intake-submit = Take in and print the receipt
intake-saving = Saving the dossier…
intake-scanned = Filled in from the { $card }. Check against the original documents.
intake-scanned-unknown = Filled in from the card's QR (kind of card unknown). Check against the original documents.
intake-scan-guessed = Guessed from their shape, marked «please check»: { $fields }. Compare them with the card, then edit them or press «Correct».
intake-scan-unrecognised = Not recognised in the QR (read them on the card, type them if needed):
intake-unconfirmed = { $field }: not yet checked against the card
intake-scan-failed = The card's code could not be read: { $reason }
intake-choose-procedure = Choose a procedure first
intake-no-documents = Tick at least one document received
intake-required = { $field }: missing
intake-invalid-date = The date of birth must look like 15/03/1999
intake-invalid-email = The email address is not valid
intake-invalid-sets = The number of sets must be 1 to 20
intake-failed = The dossier was not taken in: { $reason }
receipt-done = Dossier { $code } taken in
receipt-appointment = Result due on { $date }
receipt-print = Print the receipt
form-title = Print a form
form-control = Process-control slip
form-supplement = Ask to supplement
form-stop = Stop processing
form-apology = Apologise, new date
form-missing = Documents missing
form-other = Anything else to supplement (if any)
form-new-due = New appointment (dd/mm/yyyy)
form-reason = Reason
form-print = Print the form (A4)
form-saved = Form saved: { $file }
form-failed = The form was not printed: { $reason }
form-need-missing = Tick at least one missing document, or write what to supplement
form-need-reason = Write the reason
form-need-date = The new appointment must read dd/mm/yyyy and fall after the old one
fee-paid-vietqr = Paid by VietQR
fee-paid-cash = Paid in cash
fee-requested = Not paid yet
fee-recorded = Fee recorded: { $way }
fee-record-failed = The fee was not recorded: { $reason }
receipt-fee-no-qr = No VietQR for the fee: { $reason }. Take the fee at the counter.
receipt-printed = Receipt printed; the A4 copy (PDF) is saved
receipt-print-failed = The receipt was not printed: { $reason }
receipt-new = New dossier
verify-input = Scan the QR on the receipt
verify-valid = Valid receipt
verify-invalid = Invalid receipt: { $reason }
verify-code = Dossier code: { $code }
verify-received = Received at { $time }
verify-history = History
verify-return = Return the result to the citizen
verify-returned = Result return recorded
status-1 = Newly registered
status-2 = Accepted
status-3 = Not accepted
status-4 = Processing
status-5 = Supplement requested
status-6 = Payment requested
status-7 = Withdrawn by the citizen
status-8 = Processing stopped
status-9 = Processed, waiting to be returned
status-10 = Result returned

## Dossier lookup
lookup-title = Look up a dossier
lookup-how = Hold the QR code of your receipt under the scanner, or type the dossier code and the lookup code printed on it.
lookup-scan-hint = QR code of the receipt
lookup-code = Dossier code
lookup-secret = Lookup code
lookup-go = Look up
lookup-busy = Looking up…
lookup-dossier = Dossier { $code }
lookup-not-found = No dossier has this dossier code and lookup code. Please check them on your receipt.
lookup-offline = The lookup cannot reach the system right now. Please try again in a few minutes, or ask at the counter.
lookup-not-receipt = That code is not a dossier receipt. Please scan the QR code on your receipt.
lookup-not-a-code = That dossier code is not complete: the agency code, the day received (6 digits) and a number, like H26.22.15-261128-0001. Please check it on your receipt.
lookup-status-1 = The dossier is newly registered.
lookup-status-2 = The dossier was accepted and waits to be processed.
lookup-status-3 = The dossier was not accepted. Please ask at the counter why.
lookup-status-4 = The dossier is being processed.
lookup-status-5 = More documents are needed. Please come to the counter.
lookup-status-6 = Please pay the fees so processing can go on.
lookup-status-7 = The dossier was withdrawn at your request.
lookup-status-8 = Processing has stopped. Please ask at the counter why.
lookup-status-9 = The result is ready. Please come to the counter to collect it.
lookup-status-10 = You have collected the result.

## Hall board
board-now = Now calling number
board-to-counter = at counter
board-counter = Counter { $counter }
board-none = No number called yet
board-earlier = Called before
board-waiting = Waiting
board-offline = Reconnecting to the system…

## Admin exit (IT staff)
admin-title = Device administration
admin-hint = Enter the admin PIN to close the application. Citizens, please press "Start".
admin-pin-empty = No PIN entered yet
admin-wrong = { $tries ->
    [0] Wrong PIN.
    [1] Wrong PIN. 1 more wrong PIN locks this screen.
   *[other] Wrong PIN. { $tries } more wrong PINs lock this screen.
}
admin-locked = Too many wrong PINs. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
admin-exit = Close the application

## Accessibility: larger text, high contrast, speech, keypad
access-text = Text size { $size }
access-contrast = High contrast
speech-on = Read aloud
speech-off = Stop reading
speak-welcome = There are four things to do: take a queue number, see administrative procedures, look up a dossier, rate our service. Use the arrow keys to choose, Enter to confirm, and 5 to hear this again.
speak-detail = The documents to bring, the fees and the processing time are on the screen. Choose to take a ticket for this procedure, or go back.
speak-online-cheaper = Filing online costs less; an officer at the counter can help you do it.
speak-lane = Choose the regular line, or the priority line for older people, people with disabilities, pregnant women and people with merit to the nation.
speak-ticket = Your number is { $number }
speak-chosen = chosen
speak-rate = Choose one of three faces: satisfied, neutral, or not satisfied.
speak-private = Typing a code, read out through a headset only.

## Rating a dossier (the criteria of the national evaluation system)
eval-open = Rate this dossier
eval-title = Rate how your dossier was handled
eval-progress = Question { $n } of { $total }
eval-how = One question at a time. Touch your answer; you may skip any question.
eval-skip = Skip this question
eval-finish = Send and finish
eval-sending = Sending…
eval-error = The rating could not be saved. Please try again.
eval-thanks = Thank you for rating your dossier!
eval-thanks-hint = Your rating goes to the national evaluation system, with no personal data.
eval-at-intake = Your dossier has just been taken in. Please tell us how it went.
eval-at-return = You have just received your result. Please tell us how it went.
eval-level-very_satisfied = Very satisfied
eval-level-satisfied = Satisfied
eval-level-neutral = Neither
eval-level-unsatisfied = Not satisfied
eval-count-1 = Once
eval-count-2 = Twice
eval-count-3 = 3 times
eval-count-4 = 4 times or more
eval-agencies-1 = 1 agency
eval-agencies-2 = 2 agencies
eval-agencies-3 = 3 agencies
eval-agencies-4 = 4 agencies or more
eval-q-overall = Overall, are you satisfied with how this dossier was handled?
eval-q-convenience = Was the procedure convenient to carry out?
eval-q-on_time = Was the dossier taken in, handled and returned on time?
eval-q-staff = The attitude and manner of the staff?
eval-q-legal_time = The time taken, against the legal time limit?
eval-q-actual_time = The actual time taken, against the regulated time?
eval-q-contacts = How many times did you have to get in touch to complete the dossier?
eval-q-agencies = How many agencies did you have to get in touch with?
eval-q-one_stop = Reception and return at the one-stop desk?
eval-q-publicity = How the procedures are made public?
eval-q-feedback = How feedback and complaints are handled?
eval-q-online = The progress and quality of the online service?

## Digitising at intake (scan desk)
scan-open = Scan
scan-again = Scan again
scan-edit = View, fix the scan
scan-discard = Drop the scan
scan-digitised = Digitised: { $pages } pages, { $size } MB
scan-not-digitised = Not digitised
scan-title = Digitise: { $item }
scan-result-title = Result
scan-source-flatbed = Glass
scan-source-feeder = Feeder
scan-source-duplex = Feeder, both sides
scan-mode-grey = Grey
scan-mode-colour = Colour
scan-start = Scan pages
scan-scanning = Scanning… { $count } pages so far
scan-cancel = Stop scanning
scan-encoding = Making the PDF…
scan-page = Page { $n }
scan-page-note = Page { $n } (with its note)
scan-page-rescan = Scan again
scan-page-note-copy = Has a note: scan once more
scan-page-up = Up
scan-page-down = Down
scan-page-delete = Delete
scan-no-pages = No pages yet. Put the paper on the glass (or in the feeder) and press "Scan pages".
scan-rules = One image per page; a page with a note is scanned twice; the scan must be true to the paper.
scan-done = Done, keep the document
scan-close = Back
scan-error-no-scanner = No scanner found. Check its cable and power, then try again. The dossier can still be taken in, this item not digitised.
scan-error-busy = The scanner is busy (in use elsewhere). Wait a moment and scan again.
scan-error-jammed = Paper jam. Open the cover, take the paper out and scan again.
scan-error-cover-open = The scanner's cover is open. Close it and scan again.
scan-error-no-paper = The feeder is empty. Put the paper in and scan again.
scan-error-cancelled = Scanning stopped. The pages scanned before are kept.
scan-error-disk-full = The disk is full: the scanned pages cannot be kept. Tell IT; the dossier can still be taken in, this item not digitised.
scan-error-failed = The scanner reported: { $reason }. Scan again; if it fails again, tell IT.
scan-pdf-failed = The PDF could not be made: { $reason }
scan-too-large = The document is too large ({ $size } MB, at most { $max } MB). Scan in grey, or as several documents.
scan-dossier-too-large = The dossier's documents are too large together ({ $size } MB, at most { $max } MB). Scan in grey.
scan-not-kept = The disk is full: the scans could not be kept. The dossier is taken in; these items are not digitised: { $items }
scan-result-lost = The disk is full: the result's scan could not be kept; the result is returned all the same.
scan-result-attached = Scan of the result: { $pages } pages
documents-title = Digitised documents
documents-none = The dossier has no digitised documents.
documents-loading = Listing the documents…
documents-failed = The documents could not be listed: { $reason }
documents-line = { $item }: { $pages } pages, { $size } MB
documents-at-central = kept at central
documents-waiting = waiting to be sent
documents-result = (result)
documents-view = View
documents-opening = Opening the document…
documents-open-failed = The document could not be opened: { $reason }
