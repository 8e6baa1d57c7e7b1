"""Reading infra/stack.yaml: a YAML loader for CloudFormation's short tags and a resolver for the
intrinsic functions, so local mode builds its resources from the template's own definitions.
The resolver knows parameters and pseudo parameters; resource values come from ``define()``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import yaml

STACK_PATH = Path(__file__).with_name("stack.yaml")
LOCAL_ACCOUNT_ID = "123456789012"  # moto's default account

_SHORT_TAGS = (
    "Base64 Cidr FindInMap GetAZs ImportValue Join Select Split Sub Transform And Equals If Not Or"
).split()
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


class UnresolvedError(LookupError):
    """A reference to a resource (or attribute) that has not been defined yet."""


class _NoValue:
    """``AWS::NoValue``: removes the property (or list item) that resolves to it."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


class _Loader(yaml.SafeLoader):
    pass


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _function(name: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        return {name: _construct(loader, node)}

    return construct


def _get_att(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
    value = _construct(loader, node)
    if isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::GetAtt": value}


for _tag in _SHORT_TAGS:
    _Loader.add_constructor(f"!{_tag}", _function(f"Fn::{_tag}"))
_Loader.add_constructor("!Ref", _function("Ref"))
_Loader.add_constructor("!Condition", _function("Condition"))
_Loader.add_constructor("!GetAtt", _get_att)


def load_template(path: str | Path = STACK_PATH) -> dict[str, Any]:
    """Parse a CloudFormation YAML template, short tags turned into their long ``Fn::`` form."""
    with open(path, encoding="utf-8") as stream:
        template = yaml.load(stream, Loader=_Loader)  # a SafeLoader subclass
    if not isinstance(template, dict) or "Resources" not in template:
        raise ValueError(f"{path} is not a CloudFormation template")
    return template


class Resolver:
    """Evaluates intrinsic functions against parameters and the resources defined so far."""

    def __init__(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, str] | None = None,
        *,
        region: str = "us-east-1",
        account_id: str = LOCAL_ACCOUNT_ID,
        stack_name: str = "teamdrive-local",
    ) -> None:
        self.template = template
        self.resources: dict[str, Any] = dict(template.get("Resources", {}))
        self.parameters = _parameter_values(template.get("Parameters", {}), parameters or {})
        self.pseudo: dict[str, Any] = {
            "AWS::AccountId": account_id,
            "AWS::Region": region,
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{region}:{account_id}:stack/{stack_name}/0",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        self._refs: dict[str, Any] = {}
        self._attrs: dict[str, dict[str, Any]] = {}

    def define(self, logical_id: str, ref: Any, **attributes: Any) -> None:
        """Record what ``Ref`` and ``Fn::GetAtt`` give for a resource once it exists."""
        if logical_id not in self.resources:
            raise KeyError(f"no resource {logical_id!r} in the template")
        self._refs[logical_id] = ref
        self._attrs[logical_id] = dict(attributes)

    # ---- evaluation
    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key.startswith("Fn::"):
                return self._function(key[4:], arg)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def condition(self, name: str) -> bool:
        conditions = self.template.get("Conditions", {})
        if name not in conditions:
            raise KeyError(f"no condition {name!r} in the template")
        return self._truth(conditions[name])

    def _truth(self, value: Any) -> bool:
        if isinstance(value, dict) and set(value) == {"Condition"}:
            return self.condition(value["Condition"])
        result = self.resolve(value)
        if not isinstance(result, bool):
            raise ValueError(f"a condition must be a boolean, not {result!r}")
        return result

    def _ref(self, name: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self._refs:
            return self._refs[name]
        if name in self.resources:
            raise UnresolvedError(f"resource {name} is not defined yet")
        raise KeyError(f"Ref to unknown name {name!r}")

    def _get_att(self, logical_id: str, attribute: str) -> Any:
        if logical_id not in self.resources:
            raise KeyError(f"GetAtt of unknown resource {logical_id!r}")
        attributes = self._attrs.get(logical_id)
        if attributes is None:
            raise UnresolvedError(f"resource {logical_id} is not defined yet")
        if attribute not in attributes:
            kind = self.resources[logical_id].get("Type")
            raise UnresolvedError(f"{logical_id}.{attribute} ({kind}) is not known locally")
        return attributes[attribute]

    def _function(self, name: str, arg: Any) -> Any:
        if name == "GetAtt":
            logical_id, attribute = arg
            return self._get_att(logical_id, self.resolve(attribute))
        if name == "Sub":
            return self._sub(arg)
        if name == "Join":
            delimiter, items = arg
            return self.resolve(delimiter).join(str(item) for item in self.resolve(items))
        if name == "Select":
            index, items = arg
            return self.resolve(items)[int(self.resolve(index))]
        if name == "Split":
            delimiter, text = arg
            return self.resolve(text).split(self.resolve(delimiter))
        if name == "If":
            condition, if_true, if_false = arg
            return self.resolve(if_true if self.condition(condition) else if_false)
        if name == "Equals":
            left, right = arg
            return self.resolve(left) == self.resolve(right)
        if name == "Not":
            return not self._truth(arg[0])
        if name == "And":
            return all(self._truth(item) for item in arg)
        if name == "Or":
            return any(self._truth(item) for item in arg)
        if name == "FindInMap":
            mapping, top, second = (self.resolve(item) for item in arg)
            return self.template["Mappings"][mapping][top][second]
        if name == "Base64":
            return base64.b64encode(str(self.resolve(arg)).encode()).decode("ascii")
        raise NotImplementedError(f"Fn::{name} is not supported by the local resolver")

    def _sub(self, arg: Any) -> str:
        if isinstance(arg, list):
            text, variables = arg[0], {k: self.resolve(v) for k, v in arg[1].items()}
        else:
            text, variables = arg, {}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in variables:
                return str(variables[name])
            if "." in name and name.split(".", 1)[0] in self.resources:
                return str(self._get_att(*name.split(".", 1)))
            return str(self._ref(name))

        return _SUB_VARIABLE.sub(replace, text).replace("${!", "${")

    # ---- structure
    def included(self, logical_id: str) -> bool:
        """False for a resource whose ``Condition`` is false."""
        condition = self.resources[logical_id].get("Condition")
        return condition is None or self.condition(condition)

    def ordered(self) -> list[str]:
        """Logical ids of the included resources, each after the resources it refers to."""
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(logical_id: str, path: tuple[str, ...]) -> None:
            if state.get(logical_id) == "done":
                return
            if state.get(logical_id) == "visiting":
                raise ValueError("dependency cycle: " + " -> ".join((*path, logical_id)))
            state[logical_id] = "visiting"
            for dependency in sorted(self.dependencies(logical_id)):
                visit(dependency, (*path, logical_id))
            state[logical_id] = "done"
            order.append(logical_id)

        for logical_id in self.resources:
            if self.included(logical_id):
                visit(logical_id, ())
        return order

    def dependencies(self, logical_id: str) -> set[str]:
        resource = self.resources[logical_id]
        depends_on = resource.get("DependsOn", [])
        names = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        names.update(_referenced_names(resource.get("Properties", {})))
        return {name for name in names if name in self.resources and name != logical_id}

    def outputs(
        self, *, skip_unresolved: bool = False, leave_out: AbstractSet[str] = frozenset()
    ) -> dict[str, Any]:
        """The template's Outputs, resolved; optionally leaving out those not resolvable yet,
        and those that name a resource in ``leave_out``."""
        values: dict[str, Any] = {}
        for name, output in self.template.get("Outputs", {}).items():
            if "Condition" in output and not self.condition(output["Condition"]):
                continue
            if leave_out & set(_referenced_names(output["Value"])):
                continue
            try:
                values[name] = self.resolve(output["Value"])
            except UnresolvedError:
                if not skip_unresolved:
                    raise
        return values


def _referenced_names(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _referenced_names(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                yield item
            elif key == "Fn::GetAtt":
                yield item[0]
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                for match in _SUB_VARIABLE.finditer(text):
                    yield match.group(1).strip().split(".", 1)[0]
                if isinstance(item, list):
                    yield from _referenced_names(item[1])
            else:
                yield from _referenced_names(item)


def _parameter_values(declared: Mapping[str, Any], given: Mapping[str, str]) -> dict[str, str]:
    unknown = set(given) - set(declared)
    if unknown:
        raise ValueError(f"unknown template parameters: {sorted(unknown)}")
    values: dict[str, str] = {}
    for name, spec in declared.items():
        if name in given:
            value = str(given[name])
        elif "Default" in spec:
            value = str(spec["Default"])
        else:
            raise ValueError(f"template parameter {name} needs a value")
        pattern = spec.get("AllowedPattern")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise ValueError(f"parameter {name}={value!r} does not match {pattern!r}")
        allowed = spec.get("AllowedValues")
        if allowed is not None and value not in [str(item) for item in allowed]:
            raise ValueError(f"parameter {name}={value!r} is not one of {allowed}")
        values[name] = value
    return values
