//! A read model per organisation: the plan, opgave participation, the catalogue, the
//! programmes and the unfiltered action list of each programme, kept in memory between
//! requests.
//!
//! A cached model is used only while its revision equals the organisation's revision in the
//! database, which every change raises in its own transaction (`Tx::audit`). The session
//! lookup reads that revision with the user, so a page whose model is current costs one
//! query, and a change made by this or any other instance on the same database is seen by the
//! next request. Models are keyed by organisation id and built from queries that filter on it,
//! so one organisation's model never holds another's data.
//!
//! Some views are filled in on first use rather than when the model is built: the comparison
//! of a programme with its adopted version, and the data of an action page. They are kept in
//! the model of the revision the request saw, and loaded after that revision was read, so they
//! are never older than it; the next change makes a new model without them.

use super::actions::{ActionData, Catalogue};
use super::adoption::Changes;
use super::{Ctx, OpsError};
use koers_domain::Uitkomst;
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::adoption::FrozenVersion;
use koers_store::indicators::IndicatorRecord;
use koers_store::plan::Plan;
use koers_store::programmes::Programme;
use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// At most this many organisations' models are kept; beyond it the least recently used goes.
/// A model of a large organisation (10 years of 45 actions) takes a few hundred kilobytes.
const MAX_MODELS: usize = 32;

/// At most this many views filled in on first use are kept per kind in one model; beyond it
/// they are all dropped and filled in again.
const MAX_VIEWS: usize = 256;

/// At most this many bytes of whole pages are kept per model (about forty programme pages);
/// beyond it they are all dropped and made again.
const MAX_PAGE_BYTES: usize = 2 << 20;

/// The actions of one programme, unfiltered, with their contributing subteams. Shared, so a
/// page borrows them instead of copying.
pub struct ProgrammeActions {
    pub actions: Arc<Vec<ActionRow>>,
    /// Contributing subteams per action id.
    pub contributors: Arc<BTreeMap<i64, Vec<i64>>>,
}

/// Since adoption: the newest adopted version and what changed since; `None` when the
/// programme was never adopted.
pub type SinceAdoption = Option<(FrozenVersion, Changes)>;

/// Views filled in on first use, by key, at the revision of the model that holds them.
struct Views<K, V: ?Sized>(Mutex<HashMap<K, Arc<V>>>);

impl<K: Eq + Hash, V: ?Sized> Default for Views<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: ?Sized> Views<K, V> {
    fn get(&self, key: &K) -> Option<Arc<V>> {
        let views = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        views.get(key).cloned()
    }

    fn keep(&self, key: K, view: Arc<V>) {
        let mut views = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if views.len() >= MAX_VIEWS {
            views.clear();
        }
        views.insert(key, view);
    }
}

pub struct OrgModel {
    pub revision: i64,
    pub plan: Option<Plan>,
    /// (opgave id, year) for every year the organisation takes part in an opgave.
    pub participation: Vec<(i64, i64)>,
    pub catalogue: Arc<Catalogue>,
    pub programmes: Vec<Programme>,
    /// Per programme id.
    pub actions: HashMap<i64, ProgrammeActions>,
    /// Per programme id, filled in by [`since_adoption`].
    since_adoption: Views<i64, SinceAdoption>,
    /// Per action id, filled in by [`action`].
    action_data: Views<i64, ActionData>,
    /// What pages derive from this model alone, by page and key; see [`OrgModel::derived`].
    derived: Views<(&'static str, i64), dyn Any + Send + Sync>,
    /// What pages load from the database on first use, by page and key; see [`loaded`].
    loaded: Views<(&'static str, i64), dyn Any + Send + Sync>,
    /// Filled in by [`indicators`]: every indicator with its targets and measurements.
    indicators: Views<(), Vec<IndicatorRecord>>,
    /// Per programme id, filled in by [`outcomes`]: the evaluation's outcome per action id.
    outcomes: Views<i64, HashMap<i64, Uitkomst>>,
    /// Whole pages as sent, see [`OrgModel::page`].
    pages: Mutex<KeptPages>,
    /// Held while a page missing from `pages` is made, see [`OrgModel::making_page`].
    making: tokio::sync::Mutex<()>,
}

/// What a whole page depends on besides the model: the address with its query, who asks
/// (their account as it stands at `user_version`) and the day it is.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct PageKey {
    pub path_and_query: String,
    pub user_id: i64,
    pub user_version: i64,
    pub day: chrono::NaiveDate,
}

#[derive(Default)]
struct KeptPages {
    pages: HashMap<PageKey, bytes::Bytes>,
    bytes: usize,
}

impl OrgModel {
    /// What a page derives from this model alone (such as the rows of a programme, already in
    /// words), made once per model, page and key and shared by the requests after it.
    pub fn derived<T: Any + Send + Sync>(
        &self,
        page: &'static str,
        key: i64,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        if let Some(kept) = self.derived.get(&(page, key))
            && let Ok(kept) = kept.downcast::<T>()
        {
            return kept;
        }
        let made = Arc::new(make());
        self.derived.keep((page, key), made.clone());
        made
    }

    /// A whole page kept by [`OrgModel::keep_page`] for `key` at this model's revision.
    pub fn page(&self, key: &PageKey) -> Option<bytes::Bytes> {
        self.kept_pages().pages.get(key).cloned()
    }

    /// Waits until no other request is making a page of this model, so that requests arriving
    /// together after a change make the page once and then find it kept.
    pub async fn making_page(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.making.lock().await
    }

    /// Keeps a whole page made from this model for the requests after it with the same key.
    pub fn keep_page(&self, key: PageKey, page: bytes::Bytes) {
        if page.len() > MAX_PAGE_BYTES {
            return;
        }
        let mut kept = self.kept_pages();
        if kept.bytes + page.len() > MAX_PAGE_BYTES {
            kept.pages.clear();
            kept.bytes = 0;
        }
        kept.bytes += page.len();
        if let Some(old) = kept.pages.insert(key, page) {
            kept.bytes -= old.len();
        }
    }

    fn kept_pages(&self) -> std::sync::MutexGuard<'_, KeptPages> {
        self.pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct Entry {
    model: Arc<OrgModel>,
    last_used: u64,
}

#[derive(Default)]
struct Models {
    entries: HashMap<i64, Entry>,
    clock: u64,
}

/// How many locks the builds of models are spread over; organisations whose ids fall on the
/// same lock build one after the other.
const BUILD_LOCKS: usize = 16;

/// The read models of all organisations; cheap to clone, shared by the requests of one
/// instance.
#[derive(Clone, Default)]
pub struct ReadModels(
    Arc<Mutex<Models>>,
    Arc<[tokio::sync::Mutex<()>; BUILD_LOCKS]>,
);

impl ReadModels {
    fn current(&self, organisation_id: i64, revision: i64) -> Option<Arc<OrgModel>> {
        let mut models = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        models.clock += 1;
        let now = models.clock;
        let entry = models.entries.get_mut(&organisation_id)?;
        if entry.model.revision != revision {
            return None;
        }
        entry.last_used = now;
        Some(entry.model.clone())
    }

    fn keep(&self, organisation_id: i64, model: Arc<OrgModel>) {
        let mut models = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        models.clock += 1;
        let now = models.clock;
        if models.entries.len() >= MAX_MODELS && !models.entries.contains_key(&organisation_id) {
            let oldest = models
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(id, _)| *id);
            if let Some(id) = oldest {
                models.entries.remove(&id);
            }
        }
        // A model built by a slower request for an older revision must not replace a newer one.
        let newer_kept = models
            .entries
            .get(&organisation_id)
            .is_some_and(|e| e.model.revision > model.revision);
        if !newer_kept {
            models.entries.insert(
                organisation_id,
                Entry {
                    model,
                    last_used: now,
                },
            );
        }
    }

    /// How many organisations have a model in memory; for tests.
    pub fn len(&self) -> usize {
        let models = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        models.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lock under which the model of `organisation_id` is built.
    fn build_lock(&self, organisation_id: i64) -> &tokio::sync::Mutex<()> {
        &self.1[organisation_id.unsigned_abs() as usize % BUILD_LOCKS]
    }
}

/// The organisation's model at the revision the request saw at its start.
pub async fn model(ctx: &Ctx) -> Result<Arc<OrgModel>, OpsError> {
    let revision = ctx.organisation.revision;
    if let Some(model) = ctx.read_models.current(ctx.org(), revision) {
        return Ok(model);
    }
    // One request builds, the others that need the same model wait for it: after a change or
    // a restart, a busy organisation's pages would otherwise all load the model at once.
    let _building = ctx.read_models.build_lock(ctx.org()).lock().await;
    if let Some(model) = ctx.read_models.current(ctx.org(), revision) {
        return Ok(model);
    }
    // Loaded after the revision was read, so the data is at least as new as the revision it is
    // tagged with; a change in between only makes the next request load again.
    let store = &ctx.store;
    let programmes = store.programmes(ctx.org()).await?;
    let mut actions = HashMap::with_capacity(programmes.len());
    for programme in &programmes {
        let mut contributors: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (action, subteam) in store
            .programme_contributors(ctx.org(), programme.id)
            .await?
        {
            contributors.entry(action).or_default().push(subteam);
        }
        let list = store
            .actions(ctx.org(), programme.id, &ActionFilter::default())
            .await?;
        actions.insert(
            programme.id,
            ProgrammeActions {
                actions: Arc::new(list),
                contributors: Arc::new(contributors),
            },
        );
    }
    let model = Arc::new(OrgModel {
        revision,
        plan: store.plan(ctx.org()).await?,
        participation: store.participation(ctx.org()).await?,
        catalogue: Arc::new(Catalogue::query(ctx).await?),
        programmes,
        actions,
        since_adoption: Views::default(),
        action_data: Views::default(),
        derived: Views::default(),
        loaded: Views::default(),
        indicators: Views::default(),
        outcomes: Views::default(),
        pages: Mutex::default(),
        making: tokio::sync::Mutex::default(),
    });
    ctx.read_models.keep(ctx.org(), model.clone());
    Ok(model)
}

/// How `programme` (from the model) compares with its adopted version, at the request's
/// revision.
pub async fn since_adoption(
    ctx: &Ctx,
    programme: &Programme,
) -> Result<Arc<SinceAdoption>, OpsError> {
    let model = model(ctx).await?;
    if let Some(view) = model.since_adoption.get(&programme.id) {
        return Ok(view);
    }
    let view = Arc::new(super::adoption::changes_since_adoption(ctx, programme).await?);
    model.since_adoption.keep(programme.id, view.clone());
    Ok(view)
}

/// What a page loads with `load` from the database for `key` (such as the task fields and
/// capacity of a year, the risk analysis or the LHS matrix), kept in the model of the request's revision like [`since_adoption`]:
/// loaded after that revision was read, so never older than it.
pub async fn loaded<T, F>(
    ctx: &Ctx,
    page: &'static str,
    key: i64,
    load: impl FnOnce() -> F,
) -> Result<Arc<T>, OpsError>
where
    T: Any + Send + Sync,
    F: std::future::Future<Output = Result<T, OpsError>>,
{
    let model = model(ctx).await?;
    if let Some(kept) = model.loaded.get(&(page, key))
        && let Ok(kept) = kept.downcast::<T>()
    {
        return Ok(kept);
    }
    let made = Arc::new(load().await?);
    model.loaded.keep((page, key), made.clone());
    Ok(made)
}

/// The data of the action page of action `id` in `programme`, both from the model, at the
/// request's revision.
pub(crate) async fn action(
    ctx: &Ctx,
    model: &OrgModel,
    programme: &Programme,
    id: i64,
) -> Result<Arc<ActionData>, OpsError> {
    if let Some(data) = model.action_data.get(&id) {
        return Ok(data);
    }
    let detail = ctx.store.action(ctx.org(), id).await?;
    let data = Arc::new(super::actions::action_data(ctx, programme.clone(), detail).await?);
    model.action_data.keep(id, data.clone());
    Ok(data)
}

/// Every indicator of the organisation with its targets and measurements, at the request's
/// revision.
pub async fn indicators(ctx: &Ctx) -> Result<Arc<Vec<IndicatorRecord>>, OpsError> {
    let model = model(ctx).await?;
    if let Some(view) = model.indicators.get(&()) {
        return Ok(view);
    }
    let view = Arc::new(ctx.store.indicators(ctx.org()).await?);
    model.indicators.keep((), view.clone());
    Ok(view)
}

/// The evaluation's outcome per action id of programme `programme_id`, at the request's
/// revision; empty while nothing is evaluated.
pub async fn outcomes(
    ctx: &Ctx,
    model: &OrgModel,
    programme_id: i64,
) -> Result<Arc<HashMap<i64, Uitkomst>>, OpsError> {
    if let Some(view) = model.outcomes.get(&programme_id) {
        return Ok(view);
    }
    let record = ctx.store.evaluation_record(ctx.org(), programme_id).await?;
    let view: Arc<HashMap<i64, Uitkomst>> = Arc::new(
        record
            .actions
            .iter()
            .map(|a| (a.action_id, a.outcome))
            .collect(),
    );
    model.outcomes.keep(programme_id, view.clone());
    Ok(view)
}
