//! Behaviour of generated networks against independent oracles, and compile-fail cases.
//! One test binary (modules inside), so that the suite links once.

mod accuracy;
mod apart;
mod api;
mod batch;
mod behaviour;
mod checker;
mod common;
mod large;
mod nets;
mod second_order;
mod ui;
mod weights;
