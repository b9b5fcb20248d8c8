//! From a command's name and its arguments as they come over the wire to the method that answers it:
//! the one table every shell calls ([`App::dispatch`]), typed by [`parcours_core::wire`].

use parcours_core::wire::{self, AppError, Command, ErrorCode, RawFile};
use serde::de::DeserializeOwned;

use crate::{App, Host};

/// A command's arguments as a shell received them.
#[derive(Debug)]
pub enum Input {
    /// A JSON object with the command's fields.
    Json(serde_json::Value),
    /// A file's bytes, sent as the call's raw body (and its name, if the shell knows it).
    Raw(RawFile),
}

fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::new(ErrorCode::BadRequest, format!("bad arguments: {e}")))
}

/// Dispatches `name` to the method of the same name, for every command of the contract.
macro_rules! table {
    ($( $(#[$doc:meta])* $ty:ident $name:ident $kind:ident : $args:ty => $reply:ty; )*) => {
        impl<H: Host> App<H> {
            fn table(&self, name: &str, input: Input) -> Option<Result<String, AppError>> {
                $(if name == stringify!($name) {
                    return Some(self.answer::<wire::$ty>(input, Self::$name));
                })*
                None
            }
        }
    };
}

parcours_core::commands_list!(table);

impl<H: Host> App<H> {
    /// Answers the command `name` with `input` as its arguments: the reply as JSON text, or the error.
    pub fn dispatch(&self, name: &str, input: Input) -> Result<String, AppError> {
        if let Some(answer) = self.table(name, input) {
            return answer;
        }
        Err(AppError::new(ErrorCode::UnknownCommand, format!("no command \"{name}\"")))
    }

    /// One command: its arguments read, its method run, its reply (of the contract's type) as JSON.
    fn answer<C: Command>(
        &self,
        input: Input,
        method: fn(&Self, C::Args) -> Result<C::Reply, AppError>,
    ) -> Result<String, AppError>
    where
        C::Args: 'static,
    {
        let args: C::Args = match input {
            Input::Json(value) if !C::RAW => from_json(value)?,
            // A raw command's arguments are the file itself (`C::Args` is `RawFile`, the contract says so).
            Input::Raw(file) if C::RAW => *(Box::new(file) as Box<dyn std::any::Any>)
                .downcast::<C::Args>()
                .map_err(|_| AppError::new(ErrorCode::Internal, format!("{}: not a file's command", C::NAME)))?,
            Input::Json(_) => return Err(AppError::new(ErrorCode::BadRequest, "send the file as bytes")),
            Input::Raw(_) => return Err(AppError::new(ErrorCode::BadRequest, "send the arguments as JSON")),
        };
        let reply = method(self, args)?;
        serde_json::to_string(&reply).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    }
}
