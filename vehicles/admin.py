"""The vehicles chapter in the admin: the fleet kept by the dispatcher (saved
through the services), everything else read-only; every list scoped by the
chapter's selectors, history in scope and read-only (ScopedHistoryAdmin)."""

from django.contrib import admin

from bureau.admin_base import ScopedHistoryAdmin
from vehicles import selectors, services
from vehicles.models import (
    Accident,
    Bump,
    Driver,
    FuelPurchase,
    Inspection,
    Misuse,
    OdometerReading,
    Repair,
    Shop,
    TrafficFine,
    Trip,
    Vehicle,
)


class ScopedAdmin(ScopedHistoryAdmin):
    """Scoped change view (404 outside the selector), nothing deleted here."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FleetAdmin(ScopedAdmin):
    """The dispatcher keeps the fleet: the form's data is saved by the service."""

    service = None

    def save_model(self, request, obj, form, change):
        # The model form ran the same full_clean the service runs.
        type(self).service(**{self.opts.model_name: obj, "by": request.user})


@admin.register(Shop)
class ShopAdmin(FleetAdmin):
    service = staticmethod(services.shop_save)
    list_display = ["name", "kind", "address", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    fields = ["name", "kind", "address", "active"]

    def get_queryset(self, request):
        if not selectors.sees_fleet(request.user):
            return Shop.objects.none()
        return Shop.objects.all()


@admin.register(Driver)
class DriverAdmin(FleetAdmin):
    service = staticmethod(services.driver_save)
    list_display = ["person", "licence_no", "licence_expires", "active"]
    list_filter = ["active"]
    search_fields = ["person__name", "licence_no"]
    fields = ["person", "licence_no", "licence_expires", "active"]
    autocomplete_fields = []
    raw_id_fields = []

    def get_queryset(self, request):
        return selectors.drivers_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "person" not in readonly:
            readonly.append("person")
        return readonly


@admin.register(Vehicle)
class VehicleAdmin(FleetAdmin):
    service = staticmethod(services.vehicle_save)
    list_display = [
        "plate",
        "model_name",
        "unit",
        "driver",
        "seats",
        "odometer_km",
        "baseline_l_per_100km",
        "active",
    ]
    list_filter = ["unit", "active", "fuel_type"]
    search_fields = ["plate", "model_name"]
    list_select_related = ["unit", "driver__person"]
    fields = [
        "plate",
        "model_name",
        "seats",
        "fuel_type",
        "unit",
        "driver",
        "repair_shop",
        "fuel_station",
        "baseline_l_per_100km",
        "odometer_km",
        "active",
    ]

    def get_queryset(self, request):
        return selectors.vehicles_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # After the first reading only trips, fuel and repairs move the odometer.
        if obj is not None and "odometer_km" not in readonly:
            readonly.append("odometer_km")
        return readonly


@admin.register(Trip)
class TripAdmin(ReadOnlyAdmin):
    list_display = [
        "starts_at",
        "ends_at",
        "requester",
        "purpose",
        "destination",
        "vehicle",
        "driver",
        "status",
        "priority",
    ]
    list_filter = ["status", "purpose"]
    search_fields = ["requester__name", "destination", "vehicle__plate"]
    show_full_result_count = False
    readonly_fields = [
        "requester",
        "purpose",
        "destination",
        "passengers",
        "passenger_names",
        "borrower",
        "note",
        "starts_at",
        "ends_at",
        "priority",
        "status",
        "vehicle",
        "driver",
        "slot_ends_at",
        "dispatched_at",
        "departed_at",
        "returned_at",
        "odometer_out",
        "odometer_in",
        "check_before",
        "maintenance_after",
        "other_cost",
        "cancel_reason",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.with_related(selectors.trips_visible_to(request.user))


@admin.register(Bump)
class BumpAdmin(ReadOnlyAdmin):
    list_display = ["bumped_at", "trip", "for_trip", "vehicle", "reason"]
    readonly_fields = [
        "trip",
        "for_trip",
        "vehicle",
        "driver",
        "offered_vehicle",
        "reason",
        "bumped_at",
        "bumped_by",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.bumps_visible_to(request.user).select_related(
            "trip__requester", "for_trip__requester", "vehicle"
        )


@admin.register(OdometerReading)
class OdometerReadingAdmin(ReadOnlyAdmin):
    list_display = ["vehicle", "at", "km", "source"]
    list_filter = ["source"]
    search_fields = ["vehicle__plate"]
    readonly_fields = ["vehicle", "at", "km", "source", "source_id", "recorded_by"]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.readings_visible_to(request.user).select_related("vehicle")


@admin.register(Misuse)
class MisuseAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "kind", "vehicle", "driver", "km"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind",
        "vehicle",
        "driver",
        "occurred_on",
        "km",
        "evidence",
        "recorded_at",
        "recorded_by",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.misuses_visible_to(request.user).select_related(
            "vehicle", "driver__person"
        )


@admin.register(FuelPurchase)
class FuelPurchaseAdmin(ReadOnlyAdmin):
    list_display = [
        "bought_at",
        "vehicle",
        "litres",
        "price",
        "amount",
        "odometer",
        "full",
    ]
    list_filter = ["full", "missed_before"]
    search_fields = ["vehicle__plate", "card_no"]
    readonly_fields = [
        "vehicle",
        "trip",
        "bought_at",
        "litres",
        "price",
        "amount",
        "station",
        "card_no",
        "odometer",
        "full",
        "missed_before",
        "recorded_by",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.fuel_visible_to(request.user).select_related(
            "vehicle", "station"
        )


@admin.register(Repair)
class RepairAdmin(ReadOnlyAdmin):
    list_display = ["reported_at", "vehicle", "fault", "status", "bill_amount"]
    list_filter = ["status", "on_road"]
    search_fields = ["vehicle__plate", "fault"]
    readonly_fields = [
        "vehicle",
        "reported_by",
        "reported_at",
        "fault",
        "on_road",
        "road_reason",
        "witness",
        "road_shop",
        "cause",
        "estimate",
        "shop",
        "repaired_at",
        "odometer",
        "driver_present",
        "parts_note",
        "parts_inspected_by",
        "parts_inspected_at",
        "bill_amount",
        "billed_on",
        "settled_on",
        "status",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.repairs_visible_to(request.user).select_related("vehicle")


@admin.register(Accident)
class AccidentAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "vehicle", "driver", "place", "injuries"]
    readonly_fields = [
        "vehicle",
        "driver",
        "occurred_at",
        "place",
        "description",
        "injuries",
        "reported_by",
        "reported_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.accidents_visible_to(request.user).select_related(
            "vehicle", "driver__person"
        )


@admin.register(TrafficFine)
class TrafficFineAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_on",
        "vehicle",
        "driver",
        "offence",
        "amount",
        "driver_at_fault",
    ]
    readonly_fields = [
        "vehicle",
        "driver",
        "occurred_on",
        "offence",
        "amount",
        "points",
        "driver_at_fault",
        "recorded_by",
        "recorded_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.fines_visible_to(request.user).select_related(
            "vehicle", "driver__person"
        )


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["inspected_on", "vehicle", "measure", "driver"]
    list_filter = ["measure"]
    readonly_fields = [
        "vehicle",
        "inspected_on",
        "condition",
        "parking",
        "trips",
        "repairs",
        "fuel",
        "findings",
        "measure",
        "driver",
        "amount",
        "recorded_by",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.inspections_visible_to(request.user).select_related(
            "vehicle", "driver__person"
        )
