// One segment: its rule in words, its size and reach, what the user's permissions let them do with it (edit,
// refresh now, duplicate, archive or bring back), the Performance charts, the members a page at a time, and its
// campaigns — send one, follow its progress.
import { api, query } from './api.js';
import { h, fill, ready, announce } from './dom.js';
import { t, when } from './i18n.js';
import { lineChart, barChart } from './chart.js';
import { count } from './analytics-figures.js';
import { valueShape } from './segment-builder.js';
import { campaignForm, campaignProgress, audienceText } from './campaign.js';
import { poll } from './poll.js';

const memberPage = 25;

// The rule as a sentence: "Source is WhatsApp AND (Sex is Female OR …)".
export function describeRule(segment, catalogue) {
  const label = (key) => catalogue.find((item) => item.key === key)?.label || key;
  const value = (filter) => {
    const shape = valueShape(filter.operator);
    if (shape === 'none') return '';
    if (shape === 'two') return ` ${(filter.value || []).join(` ${t('and_word')} `)}`;
    return ` ${Array.isArray(filter.value) ? filter.value.join(', ') : filter.value}`;
  };
  const groups = (segment.groups || []).map((group) => (group.filters || [])
    .map((filter) => `${label(filter.field)} ${t(`op_${filter.operator}`)}${value(filter)}`)
    .join(` ${t(`logic_${group.logic || 'and'}`)} `));
  return groups.length > 1 ? groups.map((text) => `(${text})`).join(` ${t(`logic_${segment.logic || 'and'}`)} `) : groups[0] || '';
}

function button(id, label, onclick) {
  return h('button', { type: 'button', id, onclick }, t(label));
}

export function renderDetail(main, { session, navigate, id }) {
  const may = (permission) => session.permissions.includes(permission);
  const owned = (permission) => !(session.owned_only || []).includes(permission);
  let stops = [];
  let stopCampaign = () => {};
  let memberCursor = '';

  async function load() {
    const [{ data: segment }, { data: fields }] = await Promise.all([
      api('GET', `/v1/segments/${id}`), api('GET', '/v1/segments/fields')]);
    return { segment, catalogue: fields.items };
  }

  function draw({ segment, catalogue }) {
    const mine = (permission) => may(permission) && (owned(permission) || segment.created_by === session.actor);
    const archived = segment.status === 'archived';
    const members = h('tbody');
    const memberPager = h('div', { class: 'pager' });
    const performance = h('div', { id: 'segment-performance', class: 'figure-grid' });
    const range = h('select', { id: 'performance-range', onchange: () => loadPerformance() },
      ['all', '30d', '7d'].map((value) => h('option', { value }, t(`range_${value}`))));
    const campaigns = h('div', { id: 'segment-campaigns' });
    const progress = h('div', { id: 'campaign-view' });
    const unrestricted = !(session.scope || []).length;

    fill(main, h('p', {}, h('a', { href: '/console/segments' }, t('back_to_segments'))),
      h('h1', {}, segment.name, ' ', h('span', { class: `badge ${archived ? 'muted' : 'ok'}`, id: 'segment-status' },
        t(`segment_${segment.status}`)), ' ',
      h('span', { class: `badge ${segment.readiness === 'ready' ? 'ok' : 'warn'}`, id: 'segment-readiness' },
        t(`readiness_${segment.readiness}`))),
      segment.description ? h('p', {}, segment.description) : null,
      h('p', { class: 'rule', id: 'segment-rule' }, describeRule(segment, catalogue)),
      h('dl', { class: 'figures', id: 'segment-figures' },
        [['members', count(segment.member_count)],
          ['reach', segment.reach_percent === null || segment.reach_percent === undefined
            ? '—' : `${segment.reach_percent}%`],
          ['whatsapp_reachable', count(segment.whatsapp_reachable)], ['email_reachable', count(segment.email_reachable)],
          ['last_evaluated', segment.evaluated_at ? when(segment.evaluated_at) : t('not_evaluated')]]
          .map(([label, value]) => h('div', { dataset: { figure: label } }, h('dt', {}, t(label)), h('dd', {}, value)))),
      h('div', { class: 'actions' },
        mine('segments.manage') && !archived
          ? h('a', { class: 'button', href: `/console/segments/${id}?edit=1`, id: 'edit-segment' }, t('edit')) : null,
        mine('segments.manage') && !archived
          ? button('refresh-segment', 'refresh_now', () => act('refresh', t('refresh_started'))) : null,
        may('segments.add') ? button('duplicate-segment', 'duplicate', duplicate) : null,
        mine('segments.archive') && !archived ? button('archive-segment', 'archive', confirmArchive) : null,
        mine('segments.archive') && archived
          ? button('unarchive-segment', 'unarchive', () => act('unarchive', t('unarchived'))) : null),
      h('h2', {}, t('performance')), h('div', { class: 'filters' }, h('div', { class: 'field' },
        h('label', { for: 'performance-range' }, t('size_range')), range)), performance,
      h('h2', {}, t('segment_members')),
      unrestricted ? h('div', { class: 'table-wrap' }, h('table', { id: 'segment-members' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('customer')), h('th', { scope: 'col' }, t('added_at')))),
        members))
        : h('p', { class: 'notice' }, t('members_scoped')),
      memberPager,
      unrestricted ? [h('h2', {}, t('campaigns')), progress, campaigns] : null);

    async function act(action, done) {
      try {
        await api('POST', `/v1/segments/${id}/${action}`, { body: {} });
        announce(done);
        redraw();
      } catch (error) { announce(t('error', { detail: error.message })); }
    }

    async function duplicate() {
      try {
        const { data } = await api('POST', `/v1/segments/${id}/duplicate`, { body: {} });
        navigate(`/console/segments/${data.id}`);
      } catch (error) { announce(t('error', { detail: error.message })); }
    }

    function confirmArchive() {
      const dialog = h('dialog', { id: 'archive-dialog', 'aria-labelledby': 'archive-heading' },
        h('h2', { id: 'archive-heading' }, t('archive_confirm', { name: segment.name })),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary',
            onclick: () => { dialog.close(); act('archive', t('archived')); } }, t('archive')),
          h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))));
      dialog.addEventListener('close', () => dialog.remove());
      main.append(dialog);
      dialog.showModal();
    }

    async function loadPerformance() {
      const { data } = await api('GET', `/v1/segments/${id}/performance${query({ range: range.value })}`);
      const ofMembers = (values) => [{ name: t('members'), values }];
      const distribution = (key, title) => barChart({ id: `chart-${key}`, title: t(title), format: count,
        labels: (data[key] || []).map((item) => item.name), series: ofMembers((data[key] || []).map((item) => item.count)) });
      fill(performance,
        lineChart({ id: 'chart-size', title: t('chart_size_growth'), format: count,
          labels: data.size_growth.map((point) => when(point.at)),
          series: ofMembers(data.size_growth.map((point) => point.member_count)) }),
        distribution('source', 'chart_by_source'), distribution('domicile', 'chart_by_domicile'),
        distribution('age', 'chart_by_age'), distribution('gender', 'chart_by_gender'));
    }

    async function loadMembers() {
      if (!unrestricted) return;
      const { data } = await api('GET', `/v1/segments/${id}/members${query({ limit: memberPage, cursor: memberCursor })}`);
      fill(members, data.items.length ? data.items.map((item) => h('tr', { dataset: { member: item.contact_id } },
        h('td', {}, item.contact_id
          ? h('a', { href: `/console/contacts/${item.contact_id}` }, item.full_name || item.contact_id) : item.full_name),
        h('td', {}, when(item.added_at)))) : h('tr', {}, h('td', { colspan: 2 }, t('no_members'))));
      fill(memberPager,
        memberCursor ? button(null, 'first_page', () => { memberCursor = ''; loadMembers(); }) : null,
        data.next_cursor
          ? button('more-members', 'next_page', () => { memberCursor = String(data.next_cursor); loadMembers(); }) : null);
    }

    function follow(campaign) {
      stopCampaign();
      const view = campaignProgress(progress, campaign, { canCancel: may('campaigns.send') });
      stopCampaign = view.stop;
      return view.loaded;
    }

    async function loadCampaigns() {
      if (!unrestricted) return;
      const { data } = await api('GET', `/v1/segments/${id}/campaigns`);
      const canSend = may('campaigns.send') && !archived && segment.readiness === 'ready';
      fill(campaigns,
        data.items.length ? h('ul', { class: 'campaign-list', id: 'campaign-list' }, data.items.map((item) => h('li', {},
          h('button', { type: 'button', class: 'link', onclick: () => follow(item.id) }, item.name), ' · ',
          t(`campaign_status_${item.status}`), ' · ', audienceText(item.audience), ' · ', when(item.created_at))))
          : h('p', {}, t('no_campaigns')),
        canSend ? campaignForm(segment, (campaign) => { follow(campaign.id); loadCampaigns(); })
          : may('campaigns.send') ? h('p', { class: 'notice' }, t(archived ? 'campaign_needs_active' : 'campaign_needs_ready')) : null);
    }

    // A segment waiting for its evaluation (new, edited, refreshed) redraws itself once it is ready.
    if (segment.readiness !== 'ready' && !archived) {
      const stop = poll(() => api('GET', `/v1/segments/${id}`), ({ data }) => {
        if (data.readiness === 'ready') { stop(); redraw(); }
      });
      stops.push(stop);
    }
    return Promise.all([loadPerformance(), loadMembers(), loadCampaigns()]);
  }

  function redraw() {
    stops.forEach((stop) => stop());
    stops = [];
    stopCampaign();
    return load().then(draw).then(ready, (error) => {
      fill(main, h('h1', {}, t('segments_title')),
        h('p', { class: 'error', role: 'alert' }, t('error', { detail: error.message })));
      ready();
    });
  }

  redraw();
  return () => { stops.forEach((stop) => stop()); stopCampaign(); };
}
