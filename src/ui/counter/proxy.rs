//! The intake's parts the 2025 receipt asks for beyond the applicant: a
//! dossier filed for someone else under an authorisation (the principal's
//! name, ID number, address, phone, email and the authorising document),
//! and where the result goes (the counter, or by public postal service to
//! an address).

use super::intake::{Problem, clean, email, identity, phone, require};
use motcua_api::model::{Delivery, Principal};

/// One change to these parts of the form.
#[derive(Debug, Clone)]
pub enum ProxyEdit {
    /// Filed under an authorisation, or by the principal in person.
    On(bool),
    Name(String),
    Id(String),
    Address(String),
    Phone(String),
    Email(String),
    Authorisation(String),
    /// The result by post (true) or at the counter.
    Post(bool),
    PostAddress(String),
}

/// Who the dossier is for, and where its result goes, as typed.
#[derive(Debug, Clone, Default)]
pub struct Proxy {
    pub on: bool,
    pub name: String,
    pub id_number: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub authorisation: String,
    pub post: bool,
    pub post_address: String,
}

impl Proxy {
    /// Applies an edit. Choosing the post fills the address with the one
    /// the result most likely goes to (the principal's, else the
    /// applicant's) when none is typed yet.
    pub fn apply(&mut self, edit: ProxyEdit, applicant_address: &str) {
        match edit {
            ProxyEdit::On(on) => self.on = on,
            ProxyEdit::Name(v) => self.name = clean(v, 100),
            ProxyEdit::Id(v) => self.id_number = clean(v, 20),
            ProxyEdit::Address(v) => self.address = clean(v, 200),
            ProxyEdit::Phone(v) => self.phone = clean(v, 20),
            ProxyEdit::Email(v) => self.email = clean(v, 100),
            ProxyEdit::Authorisation(v) => self.authorisation = clean(v, 200),
            ProxyEdit::Post(post) => {
                self.post = post;
                if post && self.post_address.trim().is_empty() {
                    let home = if self.on && !self.address.trim().is_empty() {
                        &self.address
                    } else {
                        applicant_address
                    };
                    self.post_address = home.trim().to_string();
                }
            }
            ProxyEdit::PostAddress(v) => self.post_address = clean(v, 200),
        }
    }

    /// The principal and the delivery, or what is missing from them added
    /// to `problems`: an authorisation without the principal's ID number
    /// (or name, address, document), a postal return without an address.
    pub fn check(&self, problems: &mut Vec<Problem>) -> (Option<Principal>, Delivery) {
        let delivery = if self.post {
            if self.post_address.trim().is_empty() {
                problems.push(Problem::Required("intake-post-address"));
            }
            Delivery::Post {
                address: self.post_address.trim().to_string(),
            }
        } else {
            Delivery::Counter
        };
        if !self.on {
            return (None, delivery);
        }
        require(
            problems,
            &[
                (&self.name, "intake-principal-name"),
                (&self.id_number, "intake-principal-id"),
                (&self.address, "intake-principal-address"),
                (&self.phone, "intake-principal-phone"),
                (&self.authorisation, "intake-authorisation"),
            ],
        );
        let id_number = match identity(&self.id_number, None) {
            Ok((id, _)) => id,
            Err(e) => {
                problems.push(Problem::Principal(e));
                String::new()
            }
        };
        let phone = phone(&self.phone).unwrap_or_else(|e| {
            problems.push(Problem::Principal(e));
            String::new()
        });
        let email = email(&self.email).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let principal = Principal {
            name: self.name.trim().to_string(),
            id_number,
            address: self.address.trim().to_string(),
            phone,
            email,
            authorisation: self.authorisation.trim().to_string(),
        };
        (Some(principal), delivery)
    }
}
