// Routes. meta.perm names the permission a page needs (the menu shows an
// item, meta.menu, only with it; docs/api-foundation.md); pages without it are open to anyone
// signed in. meta.public pages are reachable without a session.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import {
  Aim, Avatar, Bell, Calendar, Checked, Collection, Connection, DataAnalysis, DataBoard, Document, EditPen, Flag, Key, List,
  MapLocation, Medal, Message, Monitor, OfficeBuilding, PieChart, Promotion, Reading, Stamp, Tickets, Trophy, Upload, User, Warning,
} from '@element-plus/icons-vue'
import { ElMessage } from 'element-plus'
import { setUnauthorizedHandler } from '@/api/client'
import { securityOf } from '@/api/security'
import { i18n } from '@/i18n'
import { can, clearSession, loadMe, session } from '@/stores/session'
import MainLayout from '@/layout/MainLayout.vue'
import type { MenuMeta } from '@/layout/menu'
import LoginView from '@/views/auth/LoginView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    perm?: string
    public?: boolean
    title?: string
    /** the route's item in the left menu (layout/menu.ts) */
    menu?: MenuMeta
    /** the menu item lit on this page, when it is not an item itself (a project's page lights 项目台账) */
    menuActive?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: 'login.title' } },
  // the printable screening report: a page of its own, without the menu
  { path: '/evaluations/:id/print', name: 'evaluation-print', component: () => import('@/views/evaluation/EvaluationPrintView.vue'), meta: { perm: 'project:read', title: 'nav.evaluationPrint' } },
  // the cockpit: a full-screen page of its own, without the menu
  { path: '/cockpit', name: 'cockpit', component: () => import('@/views/cockpit/CockpitView.vue'), meta: { perm: 'stats:read', title: 'nav.cockpit', menu: { group: 'stats', icon: Monitor, test: 'menu-cockpit' } } },
  {
    path: '/',
    component: MainLayout,
    children: [
      { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: 'nav.home' } },
      { path: 'projects', name: 'projects', component: () => import('@/views/project/ProjectsView.vue'), meta: { perm: 'project:read', title: 'nav.projects', menu: { group: 'project', icon: List, test: 'menu-projects' } } },
      { path: 'projects/import', name: 'project-import', component: () => import('@/views/project/ProjectImportView.vue'), meta: { perm: 'project:write', title: 'nav.projectImport', menuActive: '/projects' } },
      { path: 'assignments', name: 'assignments', component: () => import('@/views/project/AssignmentsView.vue'), meta: { perm: 'project:read', title: 'nav.assignments', menu: { group: 'project', icon: Stamp, test: 'menu-assignments' } } },
      { path: 'projects/pending', name: 'project-pending', component: () => import('@/views/project/PendingView.vue'), meta: { perm: 'project:read', title: 'nav.pending', menu: { group: 'project', icon: Stamp, test: 'menu-pending' } } },
      { path: 'projects/board', name: 'project-board', component: () => import('@/views/project/ProjectBoardView.vue'), meta: { perm: 'project:read', title: 'nav.projectBoard', menu: { group: 'project', icon: DataBoard, test: 'menu-project-board' } } },
      { path: 'projects/:id', name: 'project', component: () => import('@/views/project/ProjectDetailView.vue'), meta: { perm: 'project:read', title: 'nav.projectDetail', menuActive: '/projects' } },
      { path: 'warnings', name: 'warnings', component: () => import('@/views/project/WarningsView.vue'), meta: { perm: 'project:read', title: 'nav.warnings', menu: { group: 'project', icon: Warning, test: 'menu-warnings' } } },
      { path: 'parcels', name: 'parcels', component: () => import('@/views/project/ParcelsView.vue'), meta: { perm: 'project:read', title: 'nav.parcels', menu: { group: 'project', icon: MapLocation, test: 'menu-parcels' } } },
      { path: 'enterprises', name: 'enterprises', component: () => import('@/views/enterprise/EnterprisesView.vue'), meta: { perm: 'enterprise:read', title: 'nav.enterprises', menu: { group: 'enterprise', icon: OfficeBuilding, test: 'menu-enterprises' } } },
      { path: 'enterprises/top', name: 'enterprise-top', component: () => import('@/views/enterprise/TopView.vue'), meta: { perm: 'enterprise:read', title: 'nav.enterpriseTop', menu: { group: 'enterprise', icon: Trophy, test: 'menu-enterprise-top' } } },
      { path: 'enterprises/import', name: 'enterprise-import', component: () => import('@/views/enterprise/EnterpriseImportView.vue'), meta: { perm: 'enterprise:write', title: 'nav.enterpriseImport', menu: { group: 'enterprise', icon: Upload, test: 'menu-enterprise-import' } } },
      { path: 'enterprises/:id', name: 'enterprise', component: () => import('@/views/enterprise/EnterpriseDetailView.vue'), meta: { perm: 'enterprise:read', title: 'nav.enterpriseDetail', menuActive: '/enterprises' } },
      { path: 'chains', name: 'chains', component: () => import('@/views/chain/ChainsView.vue'), meta: { perm: 'enterprise:read', title: 'nav.chains', menu: { group: 'enterprise', icon: Connection, test: 'menu-chains' } } },
      { path: 'chains/:id/map', name: 'chain-map', component: () => import('@/views/chain/ChainMapView.vue'), meta: { perm: 'enterprise:read', title: 'nav.chainMap', menuActive: '/chains' } },
      { path: 'evaluation/baselines', name: 'baselines', component: () => import('@/views/evaluation/BaselinesView.vue'), meta: { perm: 'project:read', title: 'nav.baselines', menu: { group: 'evaluation', icon: Checked, test: 'menu-baselines' } } },
      { path: 'evaluation/summary', name: 'evaluation-summary', component: () => import('@/views/evaluation/SummaryView.vue'), meta: { perm: 'project:read', title: 'nav.evaluationSummary', menu: { group: 'evaluation', icon: PieChart, test: 'menu-evaluation-summary' } } },
      { path: 'evaluation/negative-list', name: 'negative-list', component: () => import('@/views/evaluation/NegativeListView.vue'), meta: { perm: 'project:read', title: 'nav.negativeList', menu: { group: 'evaluation', icon: Reading, test: 'menu-negative-list' } } },
      { path: 'stats/targets', name: 'stats-targets', component: () => import('@/views/stats/TargetsView.vue'), meta: { perm: 'stats:read', title: 'nav.targets', menu: { group: 'stats', icon: Aim, test: 'menu-stats-targets' } } },
      { path: 'stats/monthly', name: 'stats-monthly', component: () => import('@/views/stats/MonthlyView.vue'), meta: { perm: 'stats:read', title: 'nav.monthly', menu: { group: 'stats', icon: Calendar, test: 'menu-stats-monthly' } } },
      { path: 'stats/ranking', name: 'stats-ranking', component: () => import('@/views/stats/RankingView.vue'), meta: { perm: 'stats:read', title: 'nav.ranking', menu: { group: 'stats', icon: Trophy, test: 'menu-stats-ranking' } } },
      { path: 'stats/annual', name: 'stats-annual', component: () => import('@/views/stats/AnnualView.vue'), meta: { perm: 'stats:read', title: 'nav.annual', menu: { group: 'stats', icon: Medal, test: 'menu-stats-annual' } } },
      { path: 'org/units', name: 'units', component: () => import('@/views/org/UnitsView.vue'), meta: { perm: 'unit:read', title: 'nav.units', menu: { group: 'org', icon: OfficeBuilding, test: 'menu-units' } } },
      { path: 'org/users', name: 'users', component: () => import('@/views/org/UsersView.vue'), meta: { perm: 'user:read', title: 'nav.users', menu: { group: 'org', icon: User, test: 'menu-users' } } },
      { path: 'system/roles', name: 'roles', component: () => import('@/views/system/RolesView.vue'), meta: { perm: 'role:read', title: 'nav.roles', menu: { group: 'system', icon: Key, test: 'menu-roles' } } },
      { path: 'system/dictionary', name: 'dictionary', component: () => import('@/views/system/DictionaryView.vue'), meta: { perm: 'dict:read', title: 'nav.dictionary', menu: { group: 'system', icon: Collection, test: 'menu-dictionary' } } },
      { path: 'system/warning-settings', name: 'warning-settings', component: () => import('@/views/system/WarningSettingsView.vue'), meta: { perm: 'setting:write', title: 'nav.warningSettings', menu: { group: 'system', icon: Bell, test: 'menu-warning-settings' } } },
      { path: 'system/webhooks', name: 'webhooks', component: () => import('@/views/system/WebhooksView.vue'), meta: { perm: 'setting:write', title: 'nav.webhooks', menu: { group: 'system', icon: Promotion, test: 'menu-webhooks' } } },
      { path: 'system/audit', name: 'audit', component: () => import('@/views/system/AuditView.vue'), meta: { perm: 'audit:read', title: 'nav.audit', menu: { group: 'system', icon: Document, test: 'menu-audit' } } },
      { path: 'system/signins', name: 'signins', component: () => import('@/views/system/SigninsView.vue'), meta: { perm: 'signin:read', title: 'nav.signins', menu: { group: 'system', icon: Tickets, test: 'menu-signins' } } },
      // campaigns, channel report, notices and feedback, the promotion network
      { path: 'campaigns', name: 'campaigns', component: () => import('@/views/campaign/CampaignsView.vue'), meta: { perm: 'campaign:read', title: 'nav.campaigns', menu: { group: 'campaign', icon: Flag, test: 'menu-campaigns' } } },
      { path: 'campaigns/report', name: 'channel-report', component: () => import('@/views/campaign/ChannelReportView.vue'), meta: { perm: 'campaign:read', title: 'nav.channelReport', menu: { group: 'campaign', icon: DataAnalysis, test: 'menu-channel-report' } } },
      { path: 'campaigns/:id(\\d+)', name: 'campaign', component: () => import('@/views/campaign/CampaignDetailView.vue'), meta: { perm: 'campaign:read', title: 'nav.campaignDetail', menuActive: '/campaigns' } },
      { path: 'notices', name: 'notices', component: () => import('@/views/campaign/NoticesView.vue'), meta: { perm: 'notice:read', title: 'nav.notices', menu: { group: 'campaign', icon: Message, test: 'menu-notices' } } },
      { path: 'feedback', name: 'feedback', component: () => import('@/views/campaign/FeedbackView.vue'), meta: { perm: 'notice:read', title: 'nav.feedback', menu: { group: 'campaign', icon: EditPen, test: 'menu-feedback' } } },
      { path: 'network', name: 'network', component: () => import('@/views/campaign/AdvisorsView.vue'), meta: { perm: 'network:read', title: 'nav.network', menu: { group: 'campaign', icon: Connection, test: 'menu-network' } } },
      { path: 'intelligence', name: 'intelligence', component: () => import('@/views/campaign/IntelligenceView.vue'), meta: { perm: 'network:read', title: 'nav.intelligence', menu: { group: 'campaign', icon: Reading, test: 'menu-intelligence' } } },
      { path: 'staff', name: 'staff', component: () => import('@/views/campaign/StaffView.vue'), meta: { perm: 'network:read', title: 'nav.staff', menu: { group: 'campaign', icon: Avatar, test: 'menu-staff' } } },
      { path: 'me', name: 'me', component: () => import('@/views/account/MyAccountView.vue'), meta: { title: 'nav.me' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/views/error/NotFoundView.vue'), meta: { title: 'errors.notFound' } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

router.beforeEach(async (to) => {
  if (!session.checked) await loadMe()
  if (to.meta.public) {
    if (to.name === 'login' && session.user && securityOf(session.user)?.pending !== 'totp') return { path: '/' }
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const pending = securityOf(session.user)?.pending
  if (pending === 'totp') return { name: 'login' }
  if ((session.user.must_change_password || pending === 'enrol') && to.name !== 'me') return { name: 'me' }
  if (to.meta.perm && !can(to.meta.perm)) {
    ElMessage.warning(i18n.global.t('errors.forbidden'))
    return { path: '/' }
  }
  return true
})

router.afterEach((to) => {
  const t = i18n.global.t
  document.title = to.meta.title ? `${t(to.meta.title)} - ${t('app.title')}` : t('app.title')
})

// Any 401 from the API (the session ended or was revoked): back to sign-in.
setUnauthorizedHandler(() => {
  const wasSignedIn = !!session.user
  clearSession()
  const current = router.currentRoute.value
  if (current.name === 'login') return
  if (wasSignedIn) ElMessage.warning(i18n.global.t('errors.sessionExpired'))
  router.replace({ name: 'login', query: { redirect: current.fullPath } })
})
