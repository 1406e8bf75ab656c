//! Service versions of one API family: which version a call is made at, what it changes in
//! the request (the version segment of the path), and the refusal of an operation or a
//! parameter that the chosen version does not have, before anything is sent.

use super::OperationRequest;
use crate::Error;

/// The service versions that one API family (one spec, one generated module) describes,
/// generated once per family. Hidden from the docs and outside semver.
#[derive(Debug)]
pub struct Family {
    /// The versions as the URL carries them, oldest first.
    pub names: &'static [&'static str],
    /// The base path at each version, in the same order (`/face/v1.2`).
    pub base_paths: &'static [&'static str],
    /// The index of the version a client calls unless told otherwise: the spec's default.
    pub default: usize,
}

impl Family {
    /// The name of the version at `index`.
    fn name(&self, index: usize) -> &'static str {
        self.names
            .get(index)
            .copied()
            .unwrap_or("an unknown version")
    }

    /// Fails unless the item `what` names (an operation or a parameter), which exists from
    /// the version `added` up to, not including, `removed`, exists at the version `at`; the
    /// name is written only for a refusal, so a call that passes allocates nothing here.
    pub(crate) fn check(
        &self,
        parameter: &str,
        what: impl FnOnce() -> String,
        (added, removed): (usize, Option<usize>),
        at: usize,
    ) -> Result<(), Error> {
        let rule = if at < added {
            format!(
                "{} is available from {} on; this client calls {} (set the client's service version)",
                what(),
                self.name(added),
                self.name(at)
            )
        } else if removed.is_some_and(|removed| at >= removed) {
            format!(
                "{} was removed in {}; this client calls {}",
                what(),
                self.name(removed.unwrap_or(at)),
                self.name(at)
            )
        } else {
            return Ok(());
        };
        Err(Error::InvalidRequest {
            parameter: parameter.to_owned(),
            rule,
        })
    }
}

/// The version a request is made at, kept on the request so that the parameters a version
/// lacks can be refused while it is built.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VersionAt {
    pub(crate) family: &'static Family,
    pub(crate) index: usize,
}

impl OperationRequest {
    /// Makes the request at version `index` of `family`: the path's base path becomes that
    /// version's. Fails the request when the operation (existing from `added` up to
    /// `removed`) is not in that version.
    pub(crate) fn at_version(
        &mut self,
        family: &'static Family,
        index: usize,
        availability: (usize, Option<usize>),
    ) -> Result<(), Error> {
        let operation = self.operation_id;
        family.check(
            operation,
            || format!("the operation {operation}"),
            availability,
            index,
        )?;
        let default_base = family.base_paths.get(family.default).copied().unwrap_or("");
        // The path is written at the default version: only another version rewrites it.
        if index != family.default
            && let (Some(rest), Some(base)) = (
                self.path.strip_prefix(default_base),
                family.base_paths.get(index),
            )
        {
            self.path = format!("{base}{rest}");
        }
        self.version = Some(VersionAt { family, index });
        Ok(())
    }

    /// Fails unless the parameter `name`, which a later version added (or removed) and
    /// which this call sets, exists at the version the request is made at.
    #[doc(hidden)]
    pub fn require_version(
        &self,
        name: &str,
        added: usize,
        removed: Option<usize>,
    ) -> Result<(), Error> {
        match self.version {
            Some(at) => at
                .family
                .check(name, || format!("`{name}`"), (added, removed), at.index),
            None => Ok(()),
        }
    }
}
