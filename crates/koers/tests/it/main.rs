//! End-to-end tests of the web application through its router, on SQLite and (when
//! KOERS_TEST_DATABASE_URL is set) PostgreSQL, plus the command line and the browser test.

mod adoption;
mod api;
mod audit_page;
mod browser;
mod carry_over;
mod cli;
mod evaluation;
mod export;
mod helpers;
mod house_style;
mod indicators;
mod input;
mod package;
mod pages;
mod readability;
mod risk;
mod rounds;
mod search;
mod security;
mod vth;
mod writes;
