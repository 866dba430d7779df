// vestlod network view: the relations on the page drawn with cytoscape.js (served from our own
// origin). The same relations are in the table below the diagram, which is what keyboard and
// screen-reader users read; a click or tap on a node opens the actor's page.
(function () {
  "use strict";
  const box = document.getElementById("network");
  const data = JSON.parse(document.getElementById("network-data").textContent);
  if (!box || typeof cytoscape !== "function") { return; }
  const elements = [];
  data.nodes.forEach(function (n) {
    elements.push({ data: { id: n.id, label: n.label, href: n.href, degree: n.degree } });
  });
  data.edges.forEach(function (e, i) {
    elements.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.label,
                            colour: e.colour } });
  });
  const cy = cytoscape({
    container: box,
    elements: elements,
    minZoom: 0.2,
    maxZoom: 3,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "color": "#1b1b1b",
        "text-wrap": "ellipsis", "text-max-width": 120, "text-valign": "bottom",
        "background-color": "#0b5cad",
        "width": "mapData(degree, 1, 20, 10, 34)", "height": "mapData(degree, 1, 20, 10, 34)" } },
      { selector: "edge", style: {
        "width": 1.6, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      { selector: "edge.hover", style: {
        "label": "data(label)", "font-size": 9, "color": "#1b1b1b",
        "text-background-color": "#ffffff", "text-background-opacity": 1 } },
      { selector: "node.hover", style: { "background-color": "#b3261e" } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 70,
              randomize: false },
  });
  cy.on("tap", "node", function (evt) {
    const href = evt.target.data("href");
    if (href) { window.location.href = href; }
  });
  cy.on("mouseover", "node", function (evt) {
    evt.target.addClass("hover");
    evt.target.connectedEdges().addClass("hover");
    box.style.cursor = "pointer";
  });
  cy.on("mouseout", "node", function (evt) {
    evt.target.removeClass("hover");
    evt.target.connectedEdges().removeClass("hover");
    box.style.cursor = "";
  });
  box.setAttribute("data-nodes", String(cy.nodes().length));
  box.setAttribute("data-edges", String(cy.edges().length));
  window.vestlodNetwork = cy;
})();
