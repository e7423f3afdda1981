//! GST on rent: which rule applies to a let, and the tax on each invoice
//! line.
//!
//! The rule is decided once per invoice, from the property's setting, the
//! contract's setting and two facts of the month (the value per person per
//! month and the length of the continuous stay). Every line of the invoice
//! takes the same rule: food, services, electricity and late fees billed
//! with the stay are one composite supply whose principal supply is the
//! accommodation (CGST Act s.2(30), s.8(a)).
//!
//! Tax is worked out per line, on the line's taxable value, and rounded to
//! the paisa, halves away from zero: CGST and SGST each at half the rate
//! inside the state, IGST at the full rate across states. Totals are the
//! sums of the rounded lines, so the printed lines always add up.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, DomainResult};
use crate::gstin::Gstin;
use crate::money::Paise;
use crate::property::PropertyDetails;
use crate::text::{non_blank, whole_number};

use super::mul_div_round;

/// GST rate charged on a taxable let unless the property sets another: 18%.
pub const DEFAULT_GST_RATE_BP: u32 = 1_800;
/// Most a PG or hostel may charge a person a month and stay exempt:
/// ₹20,000, food and services included.
pub const PG_HOSTEL_EXEMPT_LIMIT: Paise = Paise(2_000_000);
/// Fewest continuous days a PG or hostel stay needs to be exempt.
pub const PG_HOSTEL_MIN_CONTINUOUS_DAYS: i64 = 90;
/// SAC of renting a residential dwelling.
pub const SAC_RESIDENTIAL: &str = "997211";
/// SAC of renting non-residential (commercial) property.
pub const SAC_COMMERCIAL: &str = "997212";
/// SAC of room accommodation in hostels and paying-guest houses.
pub const SAC_PG_HOSTEL: &str = "996322";

/// What kind of let a property is, for GST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StayCategory {
    /// A residential dwelling let as a home (flats, houses).
    #[default]
    Residential,
    /// Paying-guest house, hostel or co-living: accommodation per person.
    PgHostel,
    /// Shops, offices, warehouses.
    Commercial,
}

impl StayCategory {
    /// The value forms send and stores keep.
    pub fn code(self) -> &'static str {
        match self {
            StayCategory::Residential => "residential",
            StayCategory::PgHostel => "pg_hostel",
            StayCategory::Commercial => "commercial",
        }
    }

    /// Parses `residential`, `pg_hostel` (also `pg`, `hostel`,
    /// `co_living`) or `commercial`. Errors name `field`.
    pub fn parse(input: &str, field: &str) -> DomainResult<StayCategory> {
        let words: Vec<String> = input
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        match words.join("_").as_str() {
            "residential" => Ok(StayCategory::Residential),
            "pg_hostel" | "pg" | "hostel" | "co_living" | "coliving" => Ok(StayCategory::PgHostel),
            "commercial" => Ok(StayCategory::Commercial),
            _ => Err(DomainError::invalid(
                field,
                "GST category must be residential, PG/hostel or commercial",
            )),
        }
    }

    /// The SAC printed on the property's invoices.
    pub fn sac(self) -> &'static str {
        match self {
            StayCategory::Residential => SAC_RESIDENTIAL,
            StayCategory::PgHostel => SAC_PG_HOSTEL,
            StayCategory::Commercial => SAC_COMMERCIAL,
        }
    }
}

fn default_rate() -> u32 {
    DEFAULT_GST_RATE_BP
}

fn one() -> u16 {
    1
}

/// A property's GST setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyGstSettings {
    /// Residential, PG/hostel or commercial.
    pub category: StayCategory,
    /// The landlord's GSTIN for this property, if registered.
    #[serde(default)]
    pub supplier_gstin: Option<Gstin>,
    /// GST state code where the property stands: the place of supply of
    /// renting immovable property (IGST Act s.12(3)).
    pub state_code: u8,
    /// Rate when taxable, in basis points (default 18%).
    #[serde(default = "default_rate")]
    pub rate_bp: u32,
}

/// A contract's GST setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractGstSettings {
    /// The tenant's GSTIN, if the tenant is registered.
    #[serde(default)]
    pub tenant_gstin: Option<Gstin>,
    /// A registered proprietor renting a home for their own residence, in
    /// their personal capacity: no reverse charge.
    #[serde(default)]
    pub personal_residence: bool,
    /// The tenant pays tax under the composition scheme: no reverse charge
    /// on commercial rent from an unregistered landlord.
    #[serde(default)]
    pub tenant_composition: bool,
    /// Bill IGST: the landlord's registration is in another state than the
    /// property (the place of supply).
    #[serde(default)]
    pub interstate: bool,
    /// People the contract houses (the ₹20,000 PG limit is per person).
    #[serde(default = "one")]
    pub persons: u16,
}

impl PropertyGstSettings {
    /// The setting of a checked property: its GSTIN and state, the
    /// category chosen, and the default 18% rate.
    pub fn for_property(property: &PropertyDetails, category: StayCategory) -> PropertyGstSettings {
        PropertyGstSettings {
            category,
            supplier_gstin: property.gstin.clone(),
            state_code: property.state_code,
            rate_bp: DEFAULT_GST_RATE_BP,
        }
    }
}

/// What the contract form sends about GST.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractGstInput {
    /// The tenant's GSTIN; blank when not registered.
    pub tenant_gstin: Option<String>,
    /// A registered proprietor renting a home for their own residence.
    pub personal_residence: bool,
    /// The tenant is under the composition scheme.
    pub tenant_composition: bool,
    /// Bill IGST.
    pub interstate: bool,
    /// People housed; blank means 1.
    pub persons: String,
}

impl ContractGstInput {
    /// Checks the form, or the first error by field.
    pub fn validate(&self) -> DomainResult<ContractGstSettings> {
        let tenant_gstin = non_blank(self.tenant_gstin.as_deref())
            .map(|g| Gstin::parse(g, "tenant_gstin"))
            .transpose()?;
        let persons = if self.persons.trim().is_empty() {
            1
        } else {
            whole_number(&self.persons, "persons", "People in the contract", 1, 20)? as u16
        };
        Ok(ContractGstSettings {
            tenant_gstin,
            personal_residence: self.personal_residence,
            tenant_composition: self.tenant_composition,
            interstate: self.interstate,
            persons,
        })
    }
}

impl Default for ContractGstSettings {
    fn default() -> ContractGstSettings {
        ContractGstSettings {
            tenant_gstin: None,
            personal_residence: false,
            tenant_composition: false,
            interstate: false,
            persons: 1,
        }
    }
}

/// The facts of a month the rule depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GstFacts {
    /// What the contract charges for a whole month: rent in force, food and
    /// services, less discounts.
    pub monthly_value: Paise,
    /// Length in days of the continuous stay the month belongs to, as
    /// agreed (move-out or contract end); `None` when open-ended.
    pub continuous_days: Option<i64>,
}

/// Who pays the tax to the government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxCharge {
    /// No tax.
    None,
    /// The landlord charges and pays it.
    Forward,
    /// The tenant pays it under reverse charge; the invoice shows it but
    /// does not collect it.
    Reverse,
}

/// Which rule of GST law applied to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GstRule {
    /// The landlord is not registered and no reverse charge applies.
    SupplierNotRegistered,
    /// A residential dwelling let as a residence.
    ResidentialExempt,
    /// A residential dwelling let to a registered tenant.
    ResidentialReverseCharge,
    /// PG/hostel within ₹20,000 a person a month for 90 days or more.
    PgHostelExempt,
    /// PG/hostel above ₹20,000 a person a month.
    PgHostelOverLimit,
    /// PG/hostel stay shorter than 90 continuous days.
    PgHostelShortStay,
    /// Commercial let by a registered landlord.
    CommercialForwardCharge,
    /// Commercial let by an unregistered landlord to a registered tenant.
    CommercialReverseCharge,
}

impl GstRule {
    /// Every rule, for lookups by code.
    pub const ALL: [GstRule; 8] = [
        GstRule::SupplierNotRegistered,
        GstRule::ResidentialExempt,
        GstRule::ResidentialReverseCharge,
        GstRule::PgHostelExempt,
        GstRule::PgHostelOverLimit,
        GstRule::PgHostelShortStay,
        GstRule::CommercialForwardCharge,
        GstRule::CommercialReverseCharge,
    ];

    /// The rule a stored code names.
    pub fn from_code(code: &str) -> Option<GstRule> {
        GstRule::ALL.into_iter().find(|r| r.code() == code)
    }

    /// A stable code for stores and exports.
    pub fn code(self) -> &'static str {
        match self {
            GstRule::SupplierNotRegistered => "supplier_not_registered",
            GstRule::ResidentialExempt => "residential_exempt",
            GstRule::ResidentialReverseCharge => "residential_reverse_charge",
            GstRule::PgHostelExempt => "pg_hostel_exempt",
            GstRule::PgHostelOverLimit => "pg_hostel_over_limit",
            GstRule::PgHostelShortStay => "pg_hostel_short_stay",
            GstRule::CommercialForwardCharge => "commercial_forward_charge",
            GstRule::CommercialReverseCharge => "commercial_reverse_charge",
        }
    }

    /// The rule and its legal basis, as printed on the invoice.
    pub fn statement(self) -> &'static str {
        match self {
            GstRule::SupplierNotRegistered => {
                "No GST charged: the landlord is not registered under GST and may not collect tax (CGST Act s.32)"
            }
            GstRule::ResidentialExempt => {
                "GST exempt: renting of a residential dwelling for use as a residence (SAC 997211; Notification 12/2017-CT(Rate), entry 12)"
            }
            GstRule::ResidentialReverseCharge => {
                "GST payable by the tenant under reverse charge: residential dwelling let to a GST-registered person (Notification 13/2017-CT(Rate), entry 5AA)"
            }
            GstRule::PgHostelExempt => {
                "GST exempt: accommodation of up to ₹20,000 per person per month, supplied for a continuous period of at least 90 days (Notification 12/2017-CT(Rate), entry 12A)"
            }
            GstRule::PgHostelOverLimit => {
                "GST charged: accommodation above ₹20,000 per person per month, food and services included, is not exempt (Notification 12/2017-CT(Rate), entry 12A)"
            }
            GstRule::PgHostelShortStay => {
                "GST charged: accommodation for less than 90 continuous days is not exempt (Notification 12/2017-CT(Rate), entry 12A)"
            }
            GstRule::CommercialForwardCharge => {
                "GST charged: renting of non-residential property (SAC 997212)"
            }
            GstRule::CommercialReverseCharge => {
                "GST payable by the tenant under reverse charge: non-residential property let by an unregistered person to a registered person (Notification 13/2017-CT(Rate), entry 5AB)"
            }
        }
    }
}

impl fmt::Display for GstRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.statement())
    }
}

/// The tax on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LineTax {
    /// Central tax (inside the state).
    pub cgst: Paise,
    /// State tax (inside the state).
    pub sgst: Paise,
    /// Integrated tax (across states).
    pub igst: Paise,
}

impl LineTax {
    /// CGST + SGST + IGST.
    pub fn total(&self) -> Paise {
        Paise(self.cgst.as_i64() + self.sgst.as_i64() + self.igst.as_i64())
    }
}

/// The GST rule decided for an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GstDecision {
    /// The rule that applied.
    pub rule: GstRule,
    /// Who pays the tax.
    pub charge: TaxCharge,
    /// Rate in basis points; 0 when no tax.
    pub rate_bp: u32,
    /// IGST instead of CGST+SGST.
    pub interstate: bool,
    /// SAC printed on the lines.
    pub sac: &'static str,
    /// GST state code of the place of supply.
    pub place_of_supply: u8,
    /// The landlord's GSTIN.
    pub supplier_gstin: Option<Gstin>,
    /// The tenant's GSTIN (printed when registered).
    pub recipient_gstin: Option<Gstin>,
}

impl GstDecision {
    /// True when the tenant pays the tax under reverse charge.
    pub fn reverse_charge(&self) -> bool {
        self.charge == TaxCharge::Reverse
    }

    /// The document's title: a registered landlord issues a "Tax Invoice"
    /// for taxable supplies and a "Bill of Supply" for exempt ones (CGST
    /// Act s.31(1), s.31(3)(c)); an unregistered landlord issues a plain
    /// "Invoice" (rent receipt), which is not a GST document.
    pub fn document_title(&self) -> &'static str {
        match (self.supplier_gstin.is_some(), self.charge) {
            (true, TaxCharge::None) => "Bill of Supply",
            (true, _) => "Tax Invoice",
            (false, _) => "Invoice",
        }
    }

    /// The lines the invoice prints about GST: the rule and, as a tax
    /// invoice must say, whether tax is payable on reverse charge (CGST
    /// Rules r.46(p)).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![self.rule.statement().to_string()];
        if self.supplier_gstin.is_some() || self.charge == TaxCharge::Reverse {
            notes.push(format!(
                "Tax payable on reverse charge basis: {}",
                if self.reverse_charge() { "Yes" } else { "No" }
            ));
        }
        notes
    }

    /// The tax on a line of `taxable` value: CGST and SGST each at half the
    /// rate inside the state, IGST at the rate across states, each rounded
    /// to the paisa (halves away from zero). Zero when no tax. `None` on
    /// overflow.
    pub fn tax_line(&self, taxable: Paise) -> Option<LineTax> {
        if self.charge == TaxCharge::None || self.rate_bp == 0 {
            return Some(LineTax::default());
        }
        let rate = i64::from(self.rate_bp);
        if self.interstate {
            Some(LineTax {
                igst: mul_div_round(taxable, rate, 10_000)?,
                ..LineTax::default()
            })
        } else {
            let half = mul_div_round(taxable, rate, 20_000)?;
            Some(LineTax {
                cgst: half,
                sgst: half,
                igst: Paise::ZERO,
            })
        }
    }
}

/// Decides the GST rule for a month of a contract.
pub fn decide(
    property: &PropertyGstSettings,
    contract: &ContractGstSettings,
    facts: &GstFacts,
) -> GstDecision {
    let registered_supplier = property.supplier_gstin.is_some();
    let registered_tenant = contract.tenant_gstin.is_some();
    let (rule, charge) = match property.category {
        // A home let to someone who will live in it is exempt; let to a
        // registered person (other than a proprietor for their own home)
        // the tenant pays 18% under reverse charge, landlord registered or not.
        StayCategory::Residential => {
            if registered_tenant && !contract.personal_residence {
                (GstRule::ResidentialReverseCharge, TaxCharge::Reverse)
            } else {
                (GstRule::ResidentialExempt, TaxCharge::None)
            }
        }
        // Accommodation is exempt while both the value and the stay meet
        // entry 12A; otherwise taxable, but only a registered landlord may
        // charge it (no reverse charge covers accommodation).
        StayCategory::PgHostel => {
            let persons = i64::from(contract.persons.max(1));
            let limit = PG_HOSTEL_EXEMPT_LIMIT.as_i64().saturating_mul(persons);
            let over = facts.monthly_value.as_i64() > limit;
            let short = facts
                .continuous_days
                .is_some_and(|days| days < PG_HOSTEL_MIN_CONTINUOUS_DAYS);
            let rule = if over {
                GstRule::PgHostelOverLimit
            } else if short {
                GstRule::PgHostelShortStay
            } else {
                GstRule::PgHostelExempt
            };
            match (rule, registered_supplier) {
                (GstRule::PgHostelExempt, _) => (rule, TaxCharge::None),
                (_, true) => (rule, TaxCharge::Forward),
                (_, false) => (GstRule::SupplierNotRegistered, TaxCharge::None),
            }
        }
        // Commercial rent is taxable; an unregistered landlord's registered
        // (non-composition) tenant pays it under reverse charge.
        StayCategory::Commercial => {
            if registered_supplier {
                (GstRule::CommercialForwardCharge, TaxCharge::Forward)
            } else if registered_tenant && !contract.tenant_composition {
                (GstRule::CommercialReverseCharge, TaxCharge::Reverse)
            } else {
                (GstRule::SupplierNotRegistered, TaxCharge::None)
            }
        }
    };
    // Renting immovable property is supplied where the property is (IGST
    // Act s.12(3)); IGST when the landlord is registered in another state.
    let interstate = contract.interstate
        || property
            .supplier_gstin
            .as_ref()
            .is_some_and(|g| g.state_code() != property.state_code);
    GstDecision {
        rule,
        charge,
        rate_bp: if charge == TaxCharge::None {
            0
        } else {
            property.rate_bp
        },
        interstate,
        sac: property.category.sac(),
        place_of_supply: property.state_code,
        supplier_gstin: property.supplier_gstin.clone(),
        recipient_gstin: contract.tenant_gstin.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gstin(s: &str) -> Option<Gstin> {
        Some(Gstin::parse(s, "gstin").unwrap())
    }

    const LANDLORD: &str = "29AAGCB7383J1Z4"; // Karnataka
    const TENANT: &str = "29ABCPE1234F1Z7"; // Karnataka

    fn property(category: StayCategory, registered: bool) -> PropertyGstSettings {
        PropertyGstSettings {
            category,
            supplier_gstin: if registered { gstin(LANDLORD) } else { None },
            state_code: 29,
            rate_bp: DEFAULT_GST_RATE_BP,
        }
    }

    fn contract(tenant_registered: bool) -> ContractGstSettings {
        ContractGstSettings {
            tenant_gstin: if tenant_registered {
                gstin(TENANT)
            } else {
                None
            },
            ..ContractGstSettings::default()
        }
    }

    fn facts(value: i64, days: Option<i64>) -> GstFacts {
        GstFacts {
            monthly_value: Paise(value),
            continuous_days: days,
        }
    }

    #[test]
    fn rule_table() {
        use GstRule::*;
        use StayCategory::*;
        let month = facts(1_500_000, None);
        // (category, landlord registered, tenant registered, facts, rule, charge)
        let cases = [
            (
                Residential,
                true,
                false,
                month,
                ResidentialExempt,
                TaxCharge::None,
            ),
            (
                Residential,
                false,
                false,
                month,
                ResidentialExempt,
                TaxCharge::None,
            ),
            (
                Residential,
                true,
                true,
                month,
                ResidentialReverseCharge,
                TaxCharge::Reverse,
            ),
            (
                Residential,
                false,
                true,
                month,
                ResidentialReverseCharge,
                TaxCharge::Reverse,
            ),
            (
                PgHostel,
                true,
                false,
                facts(2_000_000, Some(90)),
                PgHostelExempt,
                TaxCharge::None,
            ),
            (
                PgHostel,
                true,
                false,
                facts(2_000_001, Some(365)),
                PgHostelOverLimit,
                TaxCharge::Forward,
            ),
            (
                PgHostel,
                true,
                false,
                facts(1_000_000, Some(89)),
                PgHostelShortStay,
                TaxCharge::Forward,
            ),
            (
                PgHostel,
                true,
                false,
                facts(1_000_000, None),
                PgHostelExempt,
                TaxCharge::None,
            ),
            (
                PgHostel,
                false,
                false,
                facts(2_500_000, None),
                SupplierNotRegistered,
                TaxCharge::None,
            ),
            (
                PgHostel,
                true,
                true,
                facts(1_000_000, Some(120)),
                PgHostelExempt,
                TaxCharge::None,
            ),
            (
                Commercial,
                true,
                false,
                month,
                CommercialForwardCharge,
                TaxCharge::Forward,
            ),
            (
                Commercial,
                true,
                true,
                month,
                CommercialForwardCharge,
                TaxCharge::Forward,
            ),
            (
                Commercial,
                false,
                true,
                month,
                CommercialReverseCharge,
                TaxCharge::Reverse,
            ),
            (
                Commercial,
                false,
                false,
                month,
                SupplierNotRegistered,
                TaxCharge::None,
            ),
        ];
        for (category, landlord, tenant, f, rule, charge) in cases {
            let decision = decide(&property(category, landlord), &contract(tenant), &f);
            assert_eq!(
                (decision.rule, decision.charge),
                (rule, charge),
                "{category:?} {landlord} {tenant} {f:?}"
            );
            assert_eq!(decision.rate_bp == 0, charge == TaxCharge::None);
        }
    }

    #[test]
    fn exceptions_and_people() {
        // A proprietor renting a home for themself: exempt.
        let mut own_home = contract(true);
        own_home.personal_residence = true;
        let d = decide(
            &property(StayCategory::Residential, false),
            &own_home,
            &facts(0, None),
        );
        assert_eq!(d.rule, GstRule::ResidentialExempt);
        // A composition tenant of an unregistered commercial landlord: no RCM.
        let mut composition = contract(true);
        composition.tenant_composition = true;
        let d = decide(
            &property(StayCategory::Commercial, false),
            &composition,
            &facts(0, None),
        );
        assert_eq!(d.rule, GstRule::SupplierNotRegistered);
        // ₹36,000 for a room of two is ₹18,000 a person: exempt.
        let twin = ContractGstSettings {
            persons: 2,
            ..contract(false)
        };
        let d = decide(
            &property(StayCategory::PgHostel, true),
            &twin,
            &facts(3_600_000, None),
        );
        assert_eq!(d.rule, GstRule::PgHostelExempt);
    }

    #[test]
    fn titles_and_notes() {
        let d = decide(
            &property(StayCategory::Commercial, true),
            &contract(false),
            &facts(0, None),
        );
        assert_eq!(d.document_title(), "Tax Invoice");
        assert_eq!(d.sac, "997212");
        assert_eq!(
            d.notes(),
            vec![
                "GST charged: renting of non-residential property (SAC 997212)".to_string(),
                "Tax payable on reverse charge basis: No".to_string()
            ]
        );
        let d = decide(
            &property(StayCategory::Residential, true),
            &contract(false),
            &facts(0, None),
        );
        assert_eq!(d.document_title(), "Bill of Supply");
        assert_eq!(d.sac, "997211");
        let d = decide(
            &property(StayCategory::Residential, true),
            &contract(true),
            &facts(0, None),
        );
        assert_eq!(d.document_title(), "Tax Invoice");
        assert_eq!(d.notes()[1], "Tax payable on reverse charge basis: Yes");
        let d = decide(
            &property(StayCategory::PgHostel, false),
            &contract(false),
            &facts(0, None),
        );
        assert_eq!(d.document_title(), "Invoice");
        assert_eq!(d.notes().len(), 1);
    }

    #[test]
    fn split_and_rounding_per_line() {
        let intra = decide(
            &property(StayCategory::Commercial, true),
            &contract(false),
            &facts(0, None),
        );
        assert!(!intra.interstate);
        // (taxable, cgst = sgst, igst) at 18%.
        let cases = [
            (5_000_000, 450_000, 900_000), // ₹50,000: 4,500 + 4,500 or 9,000
            (403_226, 36_290, 72_581),     // 4,032.26 × 9% = 362.9034; × 18% = 725.8068
            (1, 0, 0),                     // 0.09 and 0.18 paise
            (3, 0, 1),                     // 0.27 → 0; 0.54 → 1
            (50, 5, 9),                    // 4.5 → 5 (half away from zero); 9
            (-403_226, -36_290, -72_581),  // a discount line
        ];
        let inter = GstDecision {
            interstate: true,
            ..intra.clone()
        };
        for (taxable, half, igst) in cases {
            let t = intra.tax_line(Paise(taxable)).unwrap();
            assert_eq!(
                (t.cgst, t.sgst, t.igst),
                (Paise(half), Paise(half), Paise(0)),
                "{taxable}"
            );
            let t = inter.tax_line(Paise(taxable)).unwrap();
            assert_eq!(
                (t.cgst, t.sgst, t.igst),
                (Paise(0), Paise(0), Paise(igst)),
                "{taxable}"
            );
        }
        // A landlord registered in another state bills IGST.
        let mut elsewhere = property(StayCategory::Commercial, true);
        elsewhere.state_code = 27;
        assert!(decide(&elsewhere, &contract(false), &facts(0, None)).interstate);
        let exempt = decide(
            &property(StayCategory::Residential, true),
            &contract(false),
            &facts(0, None),
        );
        assert_eq!(exempt.tax_line(Paise(5_000_000)), Some(LineTax::default()));
    }

    #[test]
    fn contract_form() {
        let s = ContractGstInput {
            tenant_gstin: Some(" 29abcpe1234f1z7 ".into()),
            persons: "2".into(),
            ..ContractGstInput::default()
        }
        .validate()
        .unwrap();
        assert_eq!(s.tenant_gstin.unwrap().as_str(), "29ABCPE1234F1Z7");
        assert_eq!(s.persons, 2);
        assert_eq!(
            ContractGstInput::default().validate().unwrap(),
            ContractGstSettings::default()
        );
        let field = |i: ContractGstInput| match i.validate() {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(ContractGstInput {
                tenant_gstin: Some("29ABCPE1234F1Z8".into()),
                ..Default::default()
            }),
            "tenant_gstin"
        );
        assert_eq!(
            field(ContractGstInput {
                persons: "0".into(),
                ..Default::default()
            }),
            "persons"
        );
        let property = crate::property::PropertyInput {
            name: "Sai PG".into(),
            address_line1: "12 Main Road".into(),
            city: "Bengaluru".into(),
            state: "Karnataka".into(),
            pin_code: "560034".into(),
            gstin: Some(LANDLORD.into()),
            code: "BLR1".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let p = PropertyGstSettings::for_property(&property, StayCategory::PgHostel);
        assert_eq!((p.state_code, p.rate_bp), (29, 1_800));
        assert_eq!(p.supplier_gstin.unwrap().as_str(), LANDLORD);
    }

    #[test]
    fn categories() {
        assert_eq!(
            StayCategory::parse("PG / Hostel", "c"),
            Ok(StayCategory::PgHostel)
        );
        assert_eq!(
            StayCategory::parse("co-living", "c"),
            Ok(StayCategory::PgHostel)
        );
        assert_eq!(
            StayCategory::parse("Commercial", "c"),
            Ok(StayCategory::Commercial)
        );
        assert!(StayCategory::parse("hotel", "c").is_err());
        let s: ContractGstSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, ContractGstSettings::default());
        let p: PropertyGstSettings =
            serde_json::from_str(r#"{"category":"pg_hostel","state_code":29}"#).unwrap();
        assert_eq!(p.rate_bp, 1_800);
        assert_eq!(p.supplier_gstin, None);
    }
}

#[cfg(test)]
mod rule_codes {
    use super::GstRule;

    #[test]
    fn every_rule_is_found_by_its_code() {
        for rule in GstRule::ALL {
            assert_eq!(GstRule::from_code(rule.code()), Some(rule));
        }
        assert_eq!(GstRule::from_code("exempt"), None);
    }
}
