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

use super::actions::Catalogue;
use super::{Ctx, OpsError};
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::plan::Plan;
use koers_store::programmes::Programme;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// At most this many organisations' models are kept; beyond it the least recently used goes.
/// A model of a large organisation (10 years of 45 actions) takes a few hundred kilobytes.
const MAX_MODELS: usize = 32;

/// The actions of one programme, unfiltered, with their contributing subteams.
pub struct ProgrammeActions {
    pub actions: Vec<ActionRow>,
    /// Contributing subteams per action id.
    pub contributors: BTreeMap<i64, Vec<i64>>,
}

pub struct OrgModel {
    pub revision: i64,
    pub plan: Option<Plan>,
    /// (opgave id, year) for every year the organisation takes part in an opgave.
    pub participation: Vec<(i64, i64)>,
    pub catalogue: Catalogue,
    pub programmes: Vec<Programme>,
    /// Per programme id.
    pub actions: HashMap<i64, ProgrammeActions>,
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

/// The read models of all organisations; cheap to clone, shared by the requests of one
/// instance.
#[derive(Clone, Default)]
pub struct ReadModels(Arc<Mutex<Models>>);

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
}

/// The organisation's model at the revision the request saw at its start.
pub async fn model(ctx: &Ctx) -> Result<Arc<OrgModel>, OpsError> {
    let revision = ctx.organisation.revision;
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
                actions: list,
                contributors,
            },
        );
    }
    let model = Arc::new(OrgModel {
        revision,
        plan: store.plan(ctx.org()).await?,
        participation: store.participation(ctx.org()).await?,
        catalogue: Catalogue::query(ctx).await?,
        programmes,
        actions,
    });
    ctx.read_models.keep(ctx.org(), model.clone());
    Ok(model)
}
