//! The API change report: what changed in the public surface between two versions of a spec,
//! each change marked breaking or not, as text for the terminal or Markdown for a pull request.
//!
//! A change is **breaking** exactly when code written against the crate before it stops
//! compiling against the crate after it, given the shapes the generator emits: models and
//! enums are `#[non_exhaustive]` (callers build a model with `new(required fields…)` and assign
//! its `Option` fields, and match an enum with a wildcard arm), a method takes its required
//! arguments in order and has a setter per optional one. So these are breaking:
//! - a removal: of a group, method, argument, `into_stream`/`send_and_wait`, model, field or
//!   enum value. A renamed schema or operation is reported as the removal of the old name and
//!   the addition of the new one (no pairing is attempted: two items with the same shape are
//!   not proof of a rename), so a rename is breaking through its removal;
//! - an added required argument (a new positional argument) or required field (a new
//!   argument of the model's `new`, whichever way the model travels);
//! - an argument or field made required or optional, either way: a setter becomes a positional
//!   argument or back, a field `T` becomes `Option<T>` or back, and `new` changes;
//! - a type change: of an argument, a field, a method's return type, a model's kind
//!   (struct, enum or alias), the item of `into_stream` or the status of `send_and_wait`;
//! - positional arguments of a method, or arguments of a model's `new`, that swap places
//!   when their types differ.
//!
//! Not breaking: every other addition (a group, method, setter, helper, model, optional
//! field, enum value), a changed wire value of an enum value that keeps its variant, and
//! arguments of one type that swap places (calls still compile, so the line says that they
//! now pass their values in the other order).
//!
//! The arguments and helpers of an added or removed method, and the fields and values of an
//! added or removed model, are folded into its one line; each method of an added or removed
//! group has a line of its own.

mod render;

#[cfg(test)]
mod corpus_tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use codegen::ir::Api;

pub use render::{Format, render};

use crate::surface::{self, Item, Step};

/// A piece of a change's sentence: prose, or code (in backticks in Markdown).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Code(String),
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub breaking: bool,
    pieces: Vec<Piece>,
}

impl Change {
    fn new(breaking: bool) -> Self {
        Change {
            breaking,
            pieces: Vec::new(),
        }
    }

    fn text(mut self, text: &str) -> Self {
        self.pieces.push(Piece::Text(text.to_owned()));
        self
    }

    fn code(mut self, code: impl Into<String>) -> Self {
        self.pieces.push(Piece::Code(code.into()));
        self
    }
}

type Surface = BTreeMap<Vec<Step>, Item>;

/// The changes of the public surface from `old` to `new`, in the order of the items' paths.
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let old: Surface = by_path(surface::surface(old));
    let new: Surface = by_path(surface::surface(new));
    let mut paths: Vec<&Vec<Step>> = old.keys().chain(new.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut changes = Vec::new();
    for path in paths {
        match (old.get(path), new.get(path)) {
            (Some(before), Some(after)) => changed(before, after, &old, &new, &mut changes),
            (Some(before), None) if !has_parent_in(path, &old, &new) => {
                changes.push(removed(before, &old));
            }
            (None, Some(after)) if !has_parent_in(path, &new, &old) => {
                changes.push(added(after, &new));
            }
            _ => {}
        }
    }
    changes
}

fn by_path(items: Vec<Item>) -> Surface {
    items
        .into_iter()
        .map(|item| (item.path.clone(), item))
        .collect()
}

/// Whether a method or model above `path` is in `here` and not in `there`: the item is folded
/// into that method's or model's line. The methods of a group have lines of their own.
fn has_parent_in(path: &[Step], here: &Surface, there: &Surface) -> bool {
    (1..path.len()).any(|length| {
        let parent = &path[..length];
        matches!(parent.last(), Some(Step::Method(_) | Step::Model(_)))
            && here.contains_key(parent)
            && !there.contains_key(parent)
    })
}

/// The items directly below `path`.
fn children<'a>(path: &'a [Step], surface: &'a Surface) -> impl Iterator<Item = &'a Item> + 'a {
    surface
        .range(path.to_vec()..)
        .skip(1)
        .take_while(move |(child, _)| child.starts_with(path))
        .filter(move |(child, _)| child.len() == path.len() + 1)
        .map(|(_, item)| item)
}

/// How a change names an item: `face_list.create`, `Model.field`, `Model::Value`.
fn name(path: &[Step]) -> String {
    let mut name = String::new();
    for step in path {
        match step {
            Step::Group(text) | Step::Model(text) => name.push_str(text),
            Step::Method(text) | Step::Field(text) => {
                let _ = write!(name, ".{text}");
            }
            Step::Argument(text) => {
                let _ = write!(name, "({text})");
            }
            Step::Helper(text) => {
                let _ = write!(name, ".{text}()");
            }
            Step::Value(text) => {
                let _ = write!(name, "::{text}");
            }
        }
    }
    name
}

fn owner(path: &[Step]) -> String {
    name(&path[..path.len() - 1])
}

fn last(path: &[Step]) -> String {
    match path.last() {
        Some(
            Step::Group(text)
            | Step::Method(text)
            | Step::Argument(text)
            | Step::Model(text)
            | Step::Field(text)
            | Step::Value(text),
        ) => text.clone(),
        Some(Step::Helper(text)) => (*text).to_owned(),
        None => String::new(),
    }
}

fn added(item: &Item, surface: &Surface) -> Change {
    let path = &item.path;
    match path.last() {
        Some(Step::Group(group)) => Change::new(false).text("added group ").code(group.clone()),
        Some(Step::Method(_)) => Change::new(false)
            .text("added method ")
            .code(signature(item, surface)),
        Some(Step::Argument(argument)) if item.required => Change::new(true)
            .text("added positional argument ")
            .code(format!("{argument}: {}", item.ty))
            .text(" to ")
            .code(owner(path)),
        Some(Step::Argument(argument)) => Change::new(false)
            .text("added setter ")
            .code(format!(".{argument}({})", item.ty))
            .text(" to ")
            .code(owner(path)),
        Some(Step::Helper(helper)) => Change::new(false)
            .text("added ")
            .code(format!(".{helper}()"))
            .text(" (of ")
            .code(item.ty.clone())
            .text(") to ")
            .code(owner(path)),
        Some(Step::Model(model)) => {
            let inside: Vec<String> = children(path, surface)
                .map(|child| last(&child.path))
                .collect();
            let change = Change::new(false)
                .text("added model ")
                .code(model.clone())
                .text(&format!(" ({}", item.ty));
            if inside.is_empty() {
                change.text(")")
            } else {
                change.text(": ").code(inside.join(", ")).text(")")
            }
        }
        Some(Step::Field(_)) if item.required => Change::new(true)
            .text("added required field ")
            .code(format!("{}: {}", name(path), item.ty))
            .text(" (a new argument of ")
            .code(format!("{}::new", owner(path)))
            .text(")"),
        Some(Step::Field(_)) => Change::new(false)
            .text("added optional field ")
            .code(format!("{}: {}", name(path), item.ty)),
        Some(Step::Value(_)) => Change::new(false)
            .text("added enum value ")
            .code(name(path))
            .text(" (")
            .code(item.ty.clone())
            .text(")"),
        None => Change::new(false),
    }
}

fn removed(item: &Item, surface: &Surface) -> Change {
    let path = &item.path;
    let what = match path.last() {
        Some(Step::Group(_)) => "group",
        Some(Step::Method(_)) => {
            return Change::new(true)
                .text("removed method ")
                .code(signature(item, surface));
        }
        Some(Step::Argument(_)) if item.required => "positional argument",
        Some(Step::Argument(_)) => "setter",
        Some(Step::Helper(_)) => "builder helper",
        Some(Step::Model(_)) => "model",
        Some(Step::Field(_)) => "field",
        Some(Step::Value(_)) => "enum value",
        None => "",
    };
    Change::new(true)
        .text(&format!("removed {what} "))
        .code(name(path))
}

/// A method as a caller sees it: `group.method(positional: T) -> R`, then its setters and helpers.
fn signature(method: &Item, surface: &Surface) -> String {
    let mut arguments: Vec<&Item> = children(&method.path, surface).collect();
    arguments.sort_by_key(|item| {
        (
            matches!(item.path.last(), Some(Step::Helper(_))),
            item.order,
        )
    });
    let positional: Vec<String> = arguments
        .iter()
        .filter(|item| matches!(item.path.last(), Some(Step::Argument(_))) && item.required)
        .map(|item| format!("{}: {}", last(&item.path), item.ty))
        .collect();
    let mut text = format!(
        "{}({}) -> {}",
        name(&method.path),
        positional.join(", "),
        method.ty
    );
    for item in arguments {
        match item.path.last() {
            Some(Step::Argument(setter)) if !item.required => {
                let _ = write!(text, " .{setter}({})", item.ty);
            }
            Some(Step::Helper(helper)) => {
                let _ = write!(text, " .{helper}()");
            }
            _ => {}
        }
    }
    text
}

fn changed(before: &Item, after: &Item, old: &Surface, new: &Surface, changes: &mut Vec<Change>) {
    let path = &after.path;
    let what = match path.last() {
        Some(Step::Method(_)) => "the return type of",
        Some(Step::Argument(_)) => "the type of argument",
        Some(Step::Helper(_)) => "what is returned by",
        Some(Step::Model(_)) => "the kind of model",
        Some(Step::Field(_)) => "the type of field",
        Some(Step::Value(_)) => "the wire value of",
        Some(Step::Group(_)) | None => "",
    };
    let field = matches!(path.last(), Some(Step::Field(_)));
    // A field's type says whether it is optional: its change is the one line below.
    let presence_changed = before.required != after.required;
    if before.ty != after.ty && !(field && presence_changed) {
        // An enum value that keeps its variant name compiles whatever its wire value; an
        // argument that now takes a kind of id still takes the wire type it took.
        let breaking = !matches!(path.last(), Some(Step::Value(_)))
            && after.accepts.as_deref() != Some(before.ty.as_str());
        changes.push(
            Change::new(breaking)
                .text(&format!("changed {what} "))
                .code(name(path))
                .text(": ")
                .code(before.ty.clone())
                .text(" → ")
                .code(after.ty.clone()),
        );
    }
    match (path.last(), before.required, after.required) {
        (Some(Step::Argument(argument)), false, true) => changes.push(
            Change::new(true)
                .text("made argument ")
                .code(name(path))
                .text(" required: setter ")
                .code(format!(".{argument}({})", before.ty))
                .text(" becomes positional argument ")
                .code(format!("{argument}: {}", after.ty)),
        ),
        (Some(Step::Argument(argument)), true, false) => changes.push(
            Change::new(true)
                .text("made argument ")
                .code(name(path))
                .text(" optional: positional argument ")
                .code(format!("{argument}: {}", before.ty))
                .text(" becomes setter ")
                .code(format!(".{argument}({})", after.ty)),
        ),
        (Some(Step::Field(_)), false, true) => changes.push(
            Change::new(true)
                .text("made field ")
                .code(name(path))
                .text(" required: ")
                .code(before.ty.clone())
                .text(" → ")
                .code(after.ty.clone())
                .text(", a new argument of ")
                .code(format!("{}::new", owner(path))),
        ),
        (Some(Step::Field(_)), true, false) => changes.push(
            Change::new(true)
                .text("made field ")
                .code(name(path))
                .text(" optional: ")
                .code(before.ty.clone())
                .text(" → ")
                .code(after.ty.clone()),
        ),
        _ => {}
    }
    if let Some(Step::Method(_) | Step::Model(_)) = path.last()
        && let Some(change) = reordered(path, old, new)
    {
        changes.push(change);
    }
}

/// The positional arguments a method keeps, or the arguments of `new` a model keeps, when
/// they changed places: breaking when that puts another type at some place.
fn reordered(owner: &[Step], old: &Surface, new: &Surface) -> Option<Change> {
    let kept = |here: &Surface, there: &Surface| -> Vec<(String, String)> {
        let mut arguments: Vec<&Item> = children(owner, here)
            .filter(|item| {
                item.required
                    && matches!(item.path.last(), Some(Step::Argument(_) | Step::Field(_)))
                    && there.get(&item.path).is_some_and(|other| other.required)
            })
            .collect();
        arguments.sort_by_key(|item| item.order);
        arguments
            .iter()
            .map(|item| (last(&item.path), item.ty.clone()))
            .collect()
    };
    let (before, after) = (kept(old, new), kept(new, old));
    // Only a change of order: a type changed in place is a change of its own.
    let order = |arguments: &[(String, String)]| -> Vec<String> {
        arguments.iter().map(|(name, _)| name.clone()).collect()
    };
    (order(&before) != order(&after)).then(|| {
        let names = |arguments: &[(String, String)]| {
            let names: Vec<&str> = arguments.iter().map(|(name, _)| name.as_str()).collect();
            format!("({})", names.join(", "))
        };
        let types = |arguments: &[(String, String)]| -> Vec<String> {
            arguments.iter().map(|(_, ty)| ty.clone()).collect()
        };
        let breaking = types(&before) != types(&after);
        let (what, whose) = match owner.last() {
            Some(Step::Model(_)) => ("the arguments of ", format!("{}::new", name(owner))),
            _ => ("the positional arguments of ", name(owner)),
        };
        let change = Change::new(breaking)
            .text(&format!("reordered {what}"))
            .code(whose)
            .text(": ")
            .code(names(&before))
            .text(" → ")
            .code(names(&after));
        if breaking {
            change
        } else {
            change.text(
                " (of one type: calls still compile and now pass their values in the other order)",
            )
        }
    })
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
