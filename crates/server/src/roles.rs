//! Roles and what each may do.
//!
//! | | properties, rooms, beds | tenants | allocations | money | users, audit |
//! |---|---|---|---|---|---|
//! | owner | read, write | read, write | read, write | read, write, reverse | yes |
//! | manager | read, write | read, write | read, write | read, write, reverse | no |
//! | front desk | read (assigned) | read, write (assigned) | read, write (assigned) | read, write (assigned) | no |
//! | caretaker | read (assigned), no rent | read (assigned), no KYC | read (assigned) | none | no |
//! | accountant | read | read | read | read | no |
//!
//! Money is contracts, invoices, payments and the ledger.
//!
//! Desk sync: every role pulls (a caretaker without money or KYC); every
//! role but the accountant pushes, and each pushed row needs the action the
//! same change needs here (`sync::access`), so a caretaker's operations are
//! refused one by one.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// A user's role in the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the business: everything, users and the audit log too.
    Owner,
    /// Runs the properties: everything but users and the audit log.
    Manager,
    /// Onboards tenants and allocates beds at the assigned properties.
    FrontDesk,
    /// Maintenance at the assigned properties: no KYC, no money.
    Caretaker,
    /// Reads the books: everything read-only.
    Accountant,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Manager,
        Role::FrontDesk,
        Role::Caretaker,
        Role::Accountant,
    ];

    /// The stored name: `front_desk`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::FrontDesk => "front_desk",
            Role::Caretaker => "caretaker",
            Role::Accountant => "accountant",
        }
    }

    /// Parses a stored or typed name; errors name `field`.
    pub fn parse(input: &str, field: &str) -> ApiResult<Role> {
        let key: String = input
            .trim()
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        Ok(match key.as_str() {
            "owner" => Role::Owner,
            "manager" => Role::Manager,
            "frontdesk" => Role::FrontDesk,
            "caretaker" => Role::Caretaker,
            "accountant" => Role::Accountant,
            _ => {
                return Err(ApiError::invalid(
                    field,
                    "Role must be owner, manager, front_desk, caretaker or accountant",
                ))
            }
        })
    }

    /// True if the role works only on the properties assigned to the user.
    pub fn is_property_scoped(self) -> bool {
        matches!(self, Role::FrontDesk | Role::Caretaker)
    }
}

/// What a request wants to do; [`Caller::require`] checks the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read properties, rooms, beds, tenants, allocations.
    ReadPortfolio,
    /// Create or change properties, rooms and beds.
    WriteProperties,
    /// Create or change tenants and allocations.
    WriteOccupancy,
    /// Manage users and read the audit log.
    Administer,
    /// Read contracts, invoices, payments and ledgers.
    ReadMoney,
    /// Make contracts, bill months and record payments.
    WriteMoney,
    /// Reverse a recorded payment.
    ReverseMoney,
    /// Push a desk's changes (sync); each row is then checked against the
    /// action it needs (`sync::access`).
    PushSync,
}

impl Action {
    /// True if `role` may do this.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Action::ReadPortfolio => true,
            Action::WriteProperties => matches!(role, Role::Owner | Role::Manager),
            Action::WriteOccupancy => matches!(role, Role::Owner | Role::Manager | Role::FrontDesk),
            Action::Administer => role == Role::Owner,
            Action::ReadMoney => role != Role::Caretaker,
            Action::WriteMoney => matches!(role, Role::Owner | Role::Manager | Role::FrontDesk),
            Action::ReverseMoney => matches!(role, Role::Owner | Role::Manager),
            Action::PushSync => role != Role::Accountant,
        }
    }
}

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user_id: Uuid,
    /// Their organisation: every query is bounded by it.
    pub org_id: Uuid,
    /// Their role.
    pub role: Role,
    /// Properties assigned to them (used for front desk and caretakers).
    pub property_ids: Vec<Uuid>,
    /// The session token's SHA-256.
    pub token_hash: [u8; 32],
    /// The desk the request comes from (`X-Desk-Id`), for the audit log.
    pub desk_id: Option<String>,
    /// True until the one-time password is replaced.
    pub must_change_password: bool,
}

impl Caller {
    /// 403 unless the role allows `action`.
    pub fn require(&self, action: Action) -> ApiResult<()> {
        if action.allows(self.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The properties this caller is limited to; `None` for all of the
    /// organisation.
    pub fn scope(&self) -> Option<Vec<Uuid>> {
        self.role
            .is_property_scoped()
            .then(|| self.property_ids.clone())
    }

    /// True if the caller may work on `property_id` (of their organisation).
    pub fn in_scope(&self, property_id: Uuid) -> bool {
        !self.role.is_property_scoped() || self.property_ids.contains(&property_id)
    }

    /// Caretakers see no money.
    pub fn sees_money(&self) -> bool {
        self.role != Role::Caretaker
    }

    /// Caretakers see no KYC.
    pub fn sees_kyc(&self) -> bool {
        self.role != Role::Caretaker
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code(), "role").unwrap(), role);
        }
        assert_eq!(Role::parse("Front desk", "role").unwrap(), Role::FrontDesk);
        assert!(Role::parse("admin", "role").is_err());
    }

    #[test]
    fn only_owner_administers() {
        for role in Role::ALL {
            assert_eq!(Action::Administer.allows(role), role == Role::Owner);
            assert!(Action::ReadPortfolio.allows(role));
        }
        assert!(!Action::WriteOccupancy.allows(Role::Caretaker));
        assert!(!Action::WriteOccupancy.allows(Role::Accountant));
        assert!(!Action::WriteProperties.allows(Role::FrontDesk));
    }

    #[test]
    fn money_is_not_for_caretakers_and_read_only_for_accountants() {
        for action in [Action::ReadMoney, Action::WriteMoney, Action::ReverseMoney] {
            assert!(!action.allows(Role::Caretaker));
            assert!(action.allows(Role::Owner) && action.allows(Role::Manager));
        }
        assert!(Action::ReadMoney.allows(Role::Accountant));
        assert!(!Action::WriteMoney.allows(Role::Accountant));
        assert!(Action::WriteMoney.allows(Role::FrontDesk));
        assert!(!Action::ReverseMoney.allows(Role::FrontDesk));
    }
}
