//! 我的工作 in the database: what waits for a person (`queue`: the records whose stage has an
//! action queued for them, found by the procedure engine), the records they handle and acted on
//! (`handled`), the notices of the steps that concern them (`notice`, written with the action),
//! and the number and party that name a record wherever it is listed (`records`).
//!
//! Each capability built on a procedure describes its records once (`Records`) and reads its
//! candidates for the queue in one round trip (`ProcedureCapability::candidates`); the rest is
//! shared.

mod handled;
mod notice;
mod queue;
mod records;

pub use handled::*;
pub use notice::*;
pub use queue::*;
pub use records::*;
