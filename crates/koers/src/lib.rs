//! Koers, the application: command line, configuration, use cases (`ops`) and the web layer.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod export;
pub mod generate;
pub mod logging;
pub mod mail;
pub mod ops;
pub mod password;
pub mod readability;
pub mod web;
