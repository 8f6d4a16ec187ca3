//! The one way a module adds a route: `Routes::get`/`post` register it with actix and write it
//! in the route table, so the authorization and CSRF matrices (`tests/it/matrix_*.rs`) see
//! every route the server answers, and a route without an expectation fails them.

use actix_web::{FromRequest, Handler, Responder, web};

/// The methods the app routes (HEAD is answered wherever GET is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One registered route: its method and its path pattern as actix reads it.
pub type Route = (Method, &'static str);

/// Registers routes with actix, or (without a server) only records them.
pub struct Routes<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    table: Vec<Route>,
}

impl<'a> Routes<'a> {
    /// Routes that the server answers.
    pub fn serving(cfg: &'a mut web::ServiceConfig) -> Routes<'a> {
        Routes {
            cfg: Some(cfg),
            table: Vec::new(),
        }
    }

    /// Routes written down only, for the route table.
    pub fn recording() -> Routes<'static> {
        Routes {
            cfg: None,
            table: Vec::new(),
        }
    }

    pub fn get<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::Get, path, web::get().to(handler))
    }

    pub fn post<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::Post, path, web::post().to(handler))
    }

    fn add(&mut self, method: Method, path: &'static str, route: actix_web::Route) -> &mut Self {
        self.table.push((method, path));
        if let Some(cfg) = self.cfg.as_deref_mut() {
            cfg.route(path, route);
        }
        self
    }

    /// Every route added so far, in the order it was added.
    pub fn table(self) -> Vec<Route> {
        self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn ok() -> &'static str {
        "ok"
    }

    #[test]
    fn recording_keeps_every_route_in_order() {
        let mut r = Routes::recording();
        r.get("/a", ok).post("/a", ok).get("/b/{id}", ok);
        assert_eq!(
            r.table(),
            vec![
                (Method::Get, "/a"),
                (Method::Post, "/a"),
                (Method::Get, "/b/{id}")
            ]
        );
    }
}
