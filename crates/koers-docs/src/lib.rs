//! The council package (raadspakket) as documents.
//!
//! [`invoer`] holds what a package is made of: the organisation and its house style, the letter's
//! particulars and template, the plan, and the programme and evaluation in the shape of their
//! frozen versions. [`bouw::pakket`] turns that into the [`model`]: documents of headings,
//! paragraphs, lists, tables and charts, with no formatting decided yet. The renderers in
//! [`render`] only lay that model out for one format each. Nothing here does IO or reads a
//! database: the app gathers the input, this crate makes the documents.

pub mod bouw;
pub mod grafiek;
pub mod invoer;
pub mod model;
pub mod render;
pub mod sjabloon;
