//! Orgs, people and access (DESIGN §6, SPEC X4).
//!
//! The org tree is the city bureau with its divisions and affiliated units, and the county and
//! district bureaus with their own units. Roles are held per org. A county bureau sees its own
//! subtree; the city legal division supervises all; nobody manages outside their subtree.

pub mod model;
pub mod permissions;

pub use model::{Actor, Grant, OrgKind, Role};
pub use permissions::{OrgAction, may};
