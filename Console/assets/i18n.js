// Every string the console shows: its English and its Bahasa Malaysia side by side. The choice is kept in the
// browser; pages draw themselves with t() and are drawn again when it changes. Dates are in the browser's time zone.
const strings = {
  app_name: ['Gateway console', 'Konsol gateway'],
  loading: ['Loading…', 'Memuatkan…'],
  skip_to_content: ['Skip to content', 'Langkau ke kandungan'],
  language: ['Language', 'Bahasa'],
  sign_in: ['Sign in', 'Log masuk'],
  sign_out: ['Sign out', 'Log keluar'],
  email: ['Email', 'E-mel'],
  password: ['Password', 'Kata laluan'],
  sign_in_title: ['Sign in to the console', 'Log masuk ke konsol'],
  signing_in: ['Signing in…', 'Sedang log masuk…'],
  sign_in_failed: ['The email or password is not right.', 'E-mel atau kata laluan tidak betul.'],
  too_many_attempts: ['Too many attempts. Try again later.', 'Terlalu banyak cubaan. Cuba lagi nanti.'],
  session_expired: ['Your session has ended. Sign in again to carry on.', 'Sesi anda telah tamat. Log masuk semula untuk meneruskan.'],
  signed_out: ['You have signed out.', 'Anda telah log keluar.'],
  nav_inbox: ['Inbox', 'Peti masuk'],
  nav_operations: ['Operations', 'Operasi'],
  main_nav: ['Main', 'Utama'],
  signed_in_as: ['Signed in as {actor} ({role})', 'Log masuk sebagai {actor} ({role})'],
  role_agent: ['agent', 'ejen'],
  role_sales: ['sales', 'jualan'],
  role_renewal: ['renewal', 'pembaharuan'],
  role_admin: ['admin', 'pentadbir'],
  no_access_title: ['Not available', 'Tidak tersedia'],
  no_access: ['Your role cannot open this page.', 'Peranan anda tidak boleh membuka halaman ini.'],
  not_found: ['There is no such page.', 'Halaman itu tiada.'],
  error: ['Something went wrong: {detail}', 'Ada masalah: {detail}'],
  retry: ['Try again', 'Cuba lagi'],
  inbox_title: ['Inbox', 'Peti masuk'],
  queue: ['Queue', 'Baris gilir'],
  queue_support: ['Support', 'Sokongan'],
  queue_sales: ['Sales', 'Jualan'],
  queue_renewals: ['Renewals', 'Pembaharuan'],
  queue_unlinked: ['Unlinked outlet', 'Outlet belum dipautkan'],
  status: ['Status', 'Status'],
  any: ['Any', 'Semua'],
  status_open: ['Open', 'Dibuka'],
  status_pending: ['Pending', 'Menunggu'],
  status_resolved: ['Resolved', 'Selesai'],
  status_closed: ['Closed', 'Ditutup'],
  assignee: ['Assignee', 'Petugas'],
  outlet: ['Outlet', 'Outlet'],
  category: ['Category', 'Kategori'],
  apply_filters: ['Apply', 'Guna'],
  mine: ['Mine', 'Saya'],
  unassigned: ['Unassigned', 'Belum ditugaskan'],
  ticket: ['Ticket', 'Tiket'],
  customer: ['Customer', 'Pelanggan'],
  subject: ['Subject', 'Perkara'],
  updated: ['Updated', 'Dikemas kini'],
  sla: ['SLA', 'SLA'],
  sla_on_track: ['On track', 'Menepati'],
  sla_breached: ['Breached', 'Dilanggar'],
  sla_due_in: ['due in {time}', 'tamat dalam {time}'],
  sla_overdue: ['overdue {time}', 'lewat {time}'],
  claimed_by: ['Being handled by {who}', 'Sedang dikendalikan oleh {who}'],
  no_tickets: ['No tickets match.', 'Tiada tiket yang sepadan.'],
  older: ['Older tickets', 'Tiket lebih lama'],
  newer: ['Newest', 'Terbaru'],
  live: ['Live: updates every few seconds', 'Langsung: dikemas kini setiap beberapa saat'],
  new_tickets: ['{count} new or changed', '{count} baharu atau berubah'],
  tickets_list: ['Tickets', 'Tiket'],
  back_to_inbox: ['Back to inbox', 'Kembali ke peti masuk'],
  thread: ['Conversation', 'Perbualan'],
  notes: ['Internal notes', 'Nota dalaman'],
  history: ['History', 'Sejarah'],
  reply: ['Reply', 'Balas'],
  send_reply: ['Send reply', 'Hantar balasan'],
  add_note: ['Add note', 'Tambah nota'],
  note: ['Note', 'Nota'],
  claim: ['Claim', 'Tuntut'],
  release: ['Release', 'Lepaskan'],
  take_over: ['Take over', 'Ambil alih'],
  move_to: ['Move to', 'Pindah ke'],
  move: ['Move', 'Pindah'],
  resolve: ['Resolve', 'Selesaikan'],
  reopen: ['Reopen', 'Buka semula'],
  window_open: ['24-hour window open until {time}', 'Tetingkap 24 jam dibuka sehingga {time}'],
  window_closed: ['24-hour window closed: only templates can be sent', 'Tetingkap 24 jam ditutup: hanya templat boleh dihantar'],
  window_unknown: ['No customer message yet', 'Belum ada mesej pelanggan'],
  delivery_queued: ['Queued', 'Dalam baris gilir'],
  delivery_accepted: ['Accepted', 'Diterima'],
  delivery_sent: ['Sent', 'Dihantar'],
  delivery_delivered: ['Delivered', 'Sampai'],
  delivery_read: ['Read', 'Dibaca'],
  delivery_failed: ['Failed', 'Gagal'],
  from_customer: ['Customer', 'Pelanggan'],
  from_agent: ['{who}', '{who}'],
  internal: ['internal', 'dalaman'],
  saved: ['Saved.', 'Disimpan.'],
  sent: ['Sent.', 'Dihantar.'],
  stale_version: ['Someone else changed this ticket while you were working on it. It now shows their change; check it and try again.', 'Orang lain telah mengubah tiket ini semasa anda mengusahakannya. Kini ia menunjukkan perubahan mereka; semak dan cuba lagi.'],
  claimed_conflict: ['This ticket is being handled by someone else.', 'Tiket ini sedang dikendalikan oleh orang lain.'],
  reply_placeholder: ['Write to the customer', 'Tulis kepada pelanggan'],
  note_placeholder: ['Only your team sees this', 'Hanya pasukan anda yang melihat ini'],
  no_messages: ['No messages yet.', 'Belum ada mesej.'],
  no_notes: ['No notes yet.', 'Belum ada nota.'],
  version: ['Version {version}', 'Versi {version}'],
  contact: ['Contact', 'Kenalan'],
  reopened: ['Reopened {count} times', 'Dibuka semula {count} kali'],
  ops_title: ['Operations', 'Operasi'],
  dead_letters: ['Dead letters', 'Surat mati'],
  endpoint: ['Endpoint', 'Titik akhir'],
  endpoints: ['Endpoints', 'Titik akhir'],
  filter: ['Filter', 'Tapis'],
  replay: ['Replay', 'Main semula'],
  replayed: ['Sent back to the outbox.', 'Dihantar semula ke peti keluar.'],
  reason: ['Reason', 'Sebab'],
  attempts: ['Attempts', 'Cubaan'],
  last_status: ['Last status', 'Status terakhir'],
  failed_at: ['Failed', 'Gagal'],
  details: ['Details', 'Butiran'],
  close: ['Close', 'Tutup'],
  enable: ['Enable', 'Dayakan'],
  enabled: ['Enabled', 'Didayakan'],
  disabled: ['Disabled', 'Dilumpuhkan'],
  breaker: ['Breaker', 'Pemutus'],
  audit_log: ['Audit log', 'Log audit'],
  actor: ['Actor', 'Pelaku'],
  action: ['Action', 'Tindakan'],
  subject_col: ['Subject', 'Subjek'],
  at: ['When', 'Bila'],
  no_dead_letters: ['No dead letters.', 'Tiada surat mati.'],
  no_audit: ['No audit events.', 'Tiada peristiwa audit.'],
  setup_title: ['Create the first admin', 'Cipta pentadbir pertama'],
  setup_intro: ['This gateway has no users yet. Create the admin account you will sign in with.', 'Gateway ini belum ada pengguna. Cipta akaun pentadbir untuk log masuk.'],
  name: ['Name', 'Nama'],
  create_admin: ['Create admin', 'Cipta pentadbir'],
  setup_done: ['The admin was created. Sign in now.', 'Pentadbir telah dicipta. Log masuk sekarang.'],
  setup_invalid: ['This setup link is not valid any more. Restart the gateway for a new one.', 'Pautan persediaan ini tidak sah lagi. Mulakan semula gateway untuk pautan baharu.'],
  password_hint: ['At least 12 characters', 'Sekurang-kurangnya 12 aksara'],
  in_flight: ['In flight', 'Sedang dihantar'],
  id_col: ['ID', 'ID'],
  older_entries: ['Older', 'Lebih lama'],
  nav_renewals: ['Renewals', 'Pembaharuan'],
  identity: ['Identity', 'Identiti'],
  phones: ['Phones', 'Telefon'],
  emails: ['Emails', 'E-mel'],
  bsuids: ['WhatsApp accounts', 'Akaun WhatsApp'],
  phone_locked: ['linked to a WhatsApp account: cannot be edited', 'dipautkan kepada akaun WhatsApp: tidak boleh diubah'],
  consent: ['Marketing consent', 'Persetujuan pemasaran'],
  consent_granted: ['granted', 'diberi'],
  consent_withdrawn: ['withdrawn', 'ditarik balik'],
  consent_none: ['not recorded', 'tiada rekod'],
  tickets_of_contact: ['Tickets', 'Tiket'],
  deals: ['Deals', 'Urus niaga'],
  personal_data: ['Personal data (PDPA)', 'Data peribadi (PDPA)'],
  export_data: ['Export their data', 'Eksport data mereka'],
  export_ready: ['The export was downloaded.', 'Eksport telah dimuat turun.'],
  erase_data: ['Erase their personal data', 'Padam data peribadi mereka'],
  erase_confirm: ['This removes the person\'s name, identifiers, messages and notes everywhere. It cannot be undone. Erase?', 'Ini membuang nama, pengecam, mesej dan nota orang ini di semua tempat. Ia tidak boleh dibatalkan. Padam?'],
  erase_yes: ['Yes, erase', 'Ya, padam'],
  cancel: ['Cancel', 'Batal'],
  erased: ['Erased {time}', 'Dipadam {time}'],
  none: ['None', 'Tiada'],
  renewals_title: ['Renewals', 'Pembaharuan'],
  due_date: ['Due', 'Tarikh tamat'],
  due_before: ['Due before', 'Tamat sebelum'],
  reminders: ['Reminders', 'Peringatan'],
  recovery: ['Recovered {recovered} of {failed} failed renewals ({rate})', 'Dipulihkan {recovered} daripada {failed} pembaharuan gagal ({rate})'],
  renewals_due: ['{count} due in the last 30 days', '{count} tamat dalam 30 hari lalu'],
  no_renewals: ['No renewals match.', 'Tiada pembaharuan yang sepadan.'],
  renewal_open: ['Open', 'Dibuka'],
  renewal_renewed: ['Renewed', 'Diperbaharui'],
  renewal_lapsed: ['Lapsed', 'Luput'],
  renewal_stopped: ['Stopped', 'Dihentikan'],
  renewal_opted_out: ['Opted out', 'Menarik diri'],
  renewal_customer_replied: ['Customer replied', 'Pelanggan membalas'],
  template: ['Template', 'Templat'],
  send_template: ['Send template', 'Hantar templat'],
  inbox_lag: ['Inbox lag', 'Kelewatan peti masuk'],
  outbox_depth: ['Outbox depth', 'Kedalaman peti keluar'],
  outbox_oldest: ['Oldest in outbox', 'Tertua dalam peti keluar'],
  all_endpoints: ['All endpoints', 'Semua titik akhir'],
};

export const languages = [['en', 'English'], ['ms', 'Bahasa Malaysia']];
const column = { en: 0, ms: 1 };
let current = localStorage.getItem('console.language') in column ? localStorage.getItem('console.language') : 'en';
const listeners = new Set();

export function language() { return current; }

export function setLanguage(code) {
  if (!(code in column) || code === current) return;
  current = code;
  localStorage.setItem('console.language', code);
  document.documentElement.lang = code;
  for (const listener of listeners) listener();
}

export function onLanguageChange(listener) { listeners.add(listener); }

// The string `key` in the chosen language with `{name}` placeholders filled.
export function t(key, values = {}) {
  const text = strings[key]?.[column[current]] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// Unix milliseconds or an RFC 3339 time as the user's local date and time.
export function when(value) {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(typeof value === 'number' ? value : Date.parse(value));
  return new Intl.DateTimeFormat(current === 'ms' ? 'ms-MY' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
    .format(date);
}

// Strings the static page carries (`data-i18n`), for the first paint and after a switch.
export function translateStatic(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}

// Keys whose translation is missing or empty (used by the tests through the page).
export function missingTranslations() {
  return Object.entries(strings).filter(([, texts]) => texts.length !== 2 || texts.some((text) => !text))
    .map(([key]) => key);
}
