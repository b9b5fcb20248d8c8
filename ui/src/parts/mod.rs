//! What several screens share and that holds state of its own: the walk (positions to the engine), the
//! map (Leaflet), listening and easy reading.

pub mod listen;
pub mod map_view;
pub mod walking;
